import pg from 'pg';

export interface NotificationListenerOptions {
  /** The database to LISTEN on. */
  url: string;
  /** A name of the form [a-z_][a-z0-9_]*: it is spliced into the LISTEN statement. */
  channel: string;
  applicationName: string;
  /** Called on every notification, and after every (re)connect for what was missed meanwhile. */
  onWake: () => void;
  onProblem: (message: string) => void;
  reconnectDelayMs?: number;
}

/**
 * A dedicated connection LISTENing on one channel, reconnecting after any loss. Wakes its owner
 * (the outbox relay, the notification dispatcher) as soon as a writer commits, so their latency is
 * not a polling interval; they keep a slow poll as a safety net.
 */
export class NotificationListener {
  private client?: pg.Client;
  private stopped = true;

  constructor(private readonly options: NotificationListenerOptions) {
    if (!/^[a-z_][a-z0-9_]*$/.test(options.channel)) throw new Error(`invalid LISTEN channel "${options.channel}"`);
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.options.url, application_name: this.options.applicationName });
    const reconnect = () => {
      if (this.client !== client || this.stopped) return;
      this.client = undefined;
      client.end().catch(() => undefined);
      setTimeout(() => void this.connect(), this.options.reconnectDelayMs ?? 1_000).unref();
    };
    client.on('notification', () => this.options.onWake());
    client.on('error', (error) => {
      this.options.onProblem(`listener on ${this.options.channel} lost: ${error.message}`);
      reconnect();
    });
    client.on('end', reconnect);
    this.client = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${this.options.channel}`);
      this.options.onWake();
    } catch (error) {
      this.options.onProblem(`listener on ${this.options.channel} cannot connect: ${(error as Error).message}`);
      reconnect();
    }
  }
}
