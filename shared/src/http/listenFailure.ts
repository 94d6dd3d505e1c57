import { ConfigError } from '../config/loadConfig.ts';

export interface ListenTarget {
  port: number;
  host: string;
  /** The variable that sets the port, named in the message so the reader knows what to change. */
  portVariable: string;
}

/**
 * Turns a server's failure to listen into one line naming the variable to change, e.g.
 * `Cannot listen: ORDER_SERVICE_PORT=3002 is already in use on 127.0.0.1 (EADDRINUSE); stop what
 * uses it or set another port`. Anything else comes back unchanged.
 */
export function listenFailure(error: unknown, { port, host, portVariable }: ListenTarget): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const setting = `${portVariable}=${port}`;
  switch (code) {
    case 'EADDRINUSE':
      return new ConfigError(
        `Cannot listen: ${setting} is already in use on ${host} (EADDRINUSE); stop what uses it or set another port`,
      );
    case 'EACCES':
      return new ConfigError(
        `Cannot listen: ${setting} on ${host} needs privileges this process lacks (EACCES); use a port above 1023`,
      );
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new ConfigError(
        `Cannot listen: HOST=${host} is not an address of this machine (${code}); use 127.0.0.1 or 0.0.0.0`,
      );
    default:
      return error;
  }
}
