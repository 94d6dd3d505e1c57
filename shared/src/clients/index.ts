export * from './apiClient.ts';
export * from './httpClient.ts';
export * from './mailRequests.ts';
