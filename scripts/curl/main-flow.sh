#!/usr/bin/env bash
# Walks the main flow against a running shop (`pnpm start`) with curl, the way the README shows it:
# register -> login -> verify the address with the mailed code -> create order (with an Idempotency-Key, retried once) -> pay -> order Paid ->
# receipt in the inbox -> pay again (no second charge). Stops with a clear message (on stderr) at the
# first unexpected answer.
# Needs curl and the repo's node_modules (node reads .env and the JSON answers). The URLs come from
# .env and the environment like everywhere else: the *_PORT variables, or *_SERVICE_URL,
# GMAIL_SANDBOX_URL and STRIPE_SANDBOX_URL (see .env.example).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# node resolves tsx from the repo; a relative SHOP_ENV_FILE still means from where the script was called.
[[ ${SHOP_ENV_FILE:-none} != none ]] && SHOP_ENV_FILE=$(realpath -m "$SHOP_ENV_FILE")
urls=$(cd "$ROOT" && node --conditions=@shop/source --import tsx scripts/curl/urls.ts) || {
  echo "FAILED before step 1: could not read the URLs from .env and the environment" >&2
  exit 1
}
eval "$urls"
USER_URL=$USER_SERVICE_URL
ORDER_URL=$ORDER_SERVICE_URL
PAYMENT_URL=$PAYMENT_SERVICE_URL
INBOX_URL=$GMAIL_SANDBOX_URL
STRIPE_URL=$STRIPE_SANDBOX_URL

BODY=$(mktemp)
trap 'rm -f "$BODY"' EXIT
step=0

# request METHOD URL EXPECTED_STATUS [JSON_BODY] [TOKEN] [IDEMPOTENCY_KEY]: prints the step, fails on
# another status.
request() {
  local method=$1 url=$2 expected=$3 data=${4:-} token=${5:-} key=${6:-}
  step=$((step + 1))
  local args=(-sS -X "$method" -o "$BODY" -w '%{http_code}' -H 'content-type: application/json')
  [[ -n $token ]] && args+=(-H "authorization: Bearer $token")
  [[ -n $key ]] && args+=(-H "idempotency-key: $key")
  [[ -n $data ]] && args+=(--data "$data")
  local status
  status=$(curl "${args[@]}" "$url") || { echo "FAILED at step $step: $method $url did not answer (is the shop running? pnpm start)" >&2; exit 1; }
  if [[ $status != "$expected" ]]; then
    { echo "FAILED at step $step: $method $url answered $status, expected $expected:"; cat "$BODY"; echo; } >&2
    exit 1
  fi
  echo "ok $step: $method $url -> $status"
}

# field PATH: reads a value from the last response body, e.g. `field user.id`.
field() {
  node -e 'let v = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    for (const k of process.argv[2].split(".")) v = v?.[k];
    if (v === undefined) { console.error("missing field " + process.argv[2]); process.exit(1); }
    process.stdout.write(typeof v === "object" ? JSON.stringify(v) : String(v));' "$BODY" "$1"
}

# expect_equal ACTUAL EXPECTED WHAT
expect_equal() {
  if [[ $1 != "$2" ]]; then echo "FAILED after step $step: $3 is '$1', expected '$2'" >&2; exit 1; fi
}

suffix=$(date +%s%N | tail -c 9)
email="curl.$suffix@example.com"
password='correct-horse-42'

request POST "$USER_URL/api/user" 201 "{\"username\":\"curl$suffix\",\"email\":\"$email\",\"password\":\"$password\"}"
user_id=$(field id)

request POST "$USER_URL/api/login" 200 "{\"email\":\"$email\",\"password\":\"$password\"}"
token=$(field token)

# Registration mailed a 6-digit code (in development: to the Gmail sandbox inbox). Receipts to an
# address its owner has not verified are held, so the user verifies it first.
code=''
for _ in $(seq 1 50); do
  request GET "$INBOX_URL/api/messages?to=$email" 200 > /dev/null
  code=$(node -e 'const m = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).messages
      .find((x) => x.subject === "Confirm your email address");
    process.stdout.write(m ? /Code: (\d{6})/.exec(m.text)[1] : "")' "$BODY")
  [[ -n $code ]] && break
  step=$((step - 1)) # a repeated look at the inbox is the same step
  sleep 0.2
done
[[ -n $code ]] || { echo "FAILED after step $step: no verification mail for $email in the inbox" >&2; exit 1; }
request POST "$USER_URL/api/user/me/verify-email" 200 "{\"code\":\"$code\"}" "$token"
expect_equal "$(field email_verified)" true "email_verified after entering the code"

request GET "$USER_URL/api/user/me" 200 '' "$token"
expect_equal "$(field id)" "$user_id" "the user id of /api/user/me"

order='{"product_name":"Mechanical keyboard","quantity":2,"price":19.99}'
order_key="order-$suffix"
request POST "$ORDER_URL/api/order" 201 "$order" "$token" "$order_key"
order_id=$(field id)
expect_equal "$(field amount)" 3998 "the order amount in cents"
expect_equal "$(field status)" Pending "the new order's status"

# A retry with the same Idempotency-Key (as after a lost answer) gets the same order, not a second.
request POST "$ORDER_URL/api/order" 201 "$order" "$token" "$order_key"
expect_equal "$(field id)" "$order_id" "the order id of a retried creation"

request POST "$PAYMENT_URL/api/pay-order" 200 "{\"order_id\":\"$order_id\",\"payment_method\":\"pm_card_visa\"}" "$token"
expect_equal "$(field status)" succeeded "the payment status"

request GET "$ORDER_URL/api/order/$order_id" 200 '' "$token"
expect_equal "$(field status)" Paid "the order status after paying"

# The receipt is sent right after the charge; give it a few seconds in case it was queued. Its
# subject names the order by the first 8 characters of its id (so does the order_created mail,
# "Your order ... is placed", which arrived when the order was created).
for _ in $(seq 1 50); do
  request GET "$INBOX_URL/api/messages?to=$email" 200 > /dev/null
  receipts=$(node -e 'const m = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).messages;
    const subject = "Your receipt for order " + process.argv[2].slice(0, 8);
    process.stdout.write(String(m.filter((x) => x.subject === subject).length))' "$BODY" "$order_id")
  [[ $receipts -ge 1 ]] && break
  sleep 0.2
done
expect_equal "$receipts" 1 "the number of receipts in the inbox"
echo "ok: one receipt for order $order_id in the inbox"

request POST "$PAYMENT_URL/api/pay-order" 200 "{\"order_id\":\"$order_id\",\"payment_method\":\"pm_card_visa\"}" "$token"
request GET "$STRIPE_URL/_sandbox/payment_intents" 200
intents=$(node -e 'const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).data;
  process.stdout.write(String(d.filter((pi) => pi.metadata.order_id === process.argv[2]).length))' "$BODY" "$order_id")
expect_equal "$intents" 1 "the number of PaymentIntents for the order after paying twice"

echo "PASSED: register, login, verify, order, pay, Paid, one receipt, no second charge."
