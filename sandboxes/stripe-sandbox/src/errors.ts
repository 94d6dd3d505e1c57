export type StripeErrorType =
  'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error' | 'rate_limit_error';

export interface StripeErrorDetail {
  type: StripeErrorType;
  message: string;
  code?: string;
  decline_code?: string;
  param?: string;
  doc_url?: string;
  charge?: string;
  payment_intent?: unknown;
  payment_method?: unknown;
}

export interface StripeErrorBody {
  error: StripeErrorDetail;
}

/**
 * An error answered in Stripe's shape. `executed` marks errors raised after the endpoint started
 * doing work (card declines): Stripe saves those under the idempotency key, but not validation errors.
 */
export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: StripeErrorDetail,
    readonly executed = false,
  ) {
    super(detail.message);
  }

  get body(): StripeErrorBody {
    return { error: this.detail };
  }
}

function docUrl(code: string): string {
  return `https://stripe.com/docs/error-codes/${code.replaceAll('_', '-')}`;
}

export function invalidRequest(message: string, code?: string, param?: string, status = 400): StripeApiError {
  const detail: StripeErrorDetail = { type: 'invalid_request_error', message };
  if (code) Object.assign(detail, { code, doc_url: docUrl(code) });
  if (param) detail.param = param;
  return new StripeApiError(status, detail);
}

export function missingParam(param: string): StripeApiError {
  return invalidRequest(`Missing required param: ${param}.`, 'parameter_missing', param);
}

export function noSuchResource(kind: string, id: string, param: string, status = 404): StripeApiError {
  return invalidRequest(`No such ${kind}: '${id}'`, 'resource_missing', param, status);
}

export function unexpectedState(message: string): StripeApiError {
  return invalidRequest(message, 'payment_intent_unexpected_state');
}

export function apiError(message: string): StripeApiError {
  return new StripeApiError(500, { type: 'api_error', message });
}
