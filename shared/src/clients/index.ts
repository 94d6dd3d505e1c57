export * from './apiClient.ts';
export * from './httpClient.ts';
