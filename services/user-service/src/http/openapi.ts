import { buildOpenApi, type Operation } from '@shop/shared';
import {
  IdParams,
  LoginBody,
  LoginResponse,
  Preferences,
  RegisterBody,
  UpdatePreferencesBody,
  User,
} from '@shop/shared/contracts';

/** Every endpoint of the user-service, documented from the schemas the routes validate with. */
export const operations: Operation[] = [
  {
    method: 'post',
    path: '/api/user',
    summary: 'Register a user',
    description: 'A welcome mail is requested afterwards, best effort. Rate limited per client IP.',
    access: 'public',
    body: RegisterBody,
    responses: {
      201: { description: 'The new user (never the password or its hash).', schema: User },
      409: { description: '`email_taken` or `username_taken`.' },
      429: { description: 'Too many registrations; see Retry-After.' },
    },
  },
  {
    method: 'post',
    path: '/api/login',
    summary: 'Log in and get a bearer token',
    description: 'A wrong password and an unknown email get the same 401. Rate limited per client IP.',
    access: 'public',
    body: LoginBody,
    responses: {
      200: { description: 'A user token (ES256 JWT) and the user.', schema: LoginResponse },
      401: { description: '`invalid_credentials`.' },
      429: { description: 'Too many login attempts; see Retry-After.' },
    },
  },
  {
    method: 'get',
    path: '/api/user/me',
    summary: 'The calling user',
    access: 'user',
    responses: { 200: { description: 'The user.', schema: User } },
  },
  {
    method: 'get',
    path: '/api/user/:id',
    summary: 'A user by id (self or a service)',
    description: "Another user's id gets 403 whether or not it exists.",
    access: 'user or service',
    params: IdParams,
    responses: {
      200: { description: 'The user.', schema: User },
      403: { description: '`not_your_account`.' },
      404: { description: '`user_not_found` (services only).' },
    },
  },
  {
    method: 'get',
    path: '/api/user/:id/preferences',
    summary: "A user's notification preferences (self or a service)",
    access: 'user or service',
    params: IdParams,
    responses: {
      200: { description: 'Per kind, per channel; all on by default.', schema: Preferences },
      403: { description: '`not_your_account`.' },
      404: { description: '`user_not_found`.' },
    },
  },
  {
    method: 'put',
    path: '/api/user/:id/preferences',
    summary: 'Change notification preferences (self or a service)',
    description: 'Merges the given kinds and channels onto the current settings.',
    access: 'user or service',
    params: IdParams,
    body: UpdatePreferencesBody,
    responses: {
      200: { description: 'The full preferences after the change.', schema: Preferences },
      403: { description: '`not_your_account`.' },
      404: { description: '`user_not_found`.' },
    },
  },
];

export const openApiDocument = buildOpenApi(
  {
    title: 'user-service',
    description: 'Users, credentials and notification preferences; issues the user tokens.',
    version: '1.0.0',
    serverUrl: '/',
  },
  operations,
);
