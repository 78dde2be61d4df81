import pg from 'pg';

export interface NotificationListenerOptions {
  /** The database to LISTEN on. */
  url: string;
  /** A name of the form [a-z_][a-z0-9_]*: it is spliced into the LISTEN statement. */
  channel: string;
  applicationName: string;
  /** Called on every notification, and after every (re)connect for what was missed meanwhile. */
  onWake?: () => void;
  /** Called with the payload of every notification (for owners that act on what changed, not just wake). */
  onNotification?: (payload: string) => void;
  /** Called each time the connection LISTENs (the first connect and every reconnect), before `onWake`. */
  onListening?: () => void;
  /**
   * Called as soon as a LISTENing connection is lost: from then until the next `onListening`,
   * notifications are missed (an owner that caches what they invalidate must stop trusting its cache).
   */
  onLost?: () => void;
  /** Told of the first failure of a run of failed (re)connects, not of every retry. */
  onProblem: (message: string) => void;
  /** First delay before reconnecting; doubled after each failed attempt, up to 10 s. */
  reconnectDelayMs?: number;
}

const MAX_RECONNECT_DELAY_MS = 10_000;

/**
 * A dedicated connection LISTENing on one channel, reconnecting after any loss. Wakes its owner
 * (the outbox relay, the notification dispatcher) as soon as a writer commits, so their latency is
 * not a polling interval; they keep a slow poll as a safety net. An owner that caches what the
 * notifications invalidate (a ListenedCache) reads their payloads and is told when the
 * connection is lost and when it listens again.
 */
export class NotificationListener {
  private client?: pg.Client;
  private stopped = true;
  /** Failed connects in a row: the reconnect delay backs off while the database stays away. */
  private failures = 0;
  private reported = false;

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
    // TCP keep-alive: a connection to a vanished server is noticed (and reconnected) without waiting for a query.
    const client = new pg.Client({
      connectionString: this.options.url,
      application_name: this.options.applicationName,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    let connected = false;
    const reconnect = () => {
      if (this.client !== client || this.stopped) return;
      this.client = undefined;
      client.end().catch(() => undefined);
      if (connected) this.options.onLost?.();
      else this.failures++;
      const delay = Math.min((this.options.reconnectDelayMs ?? 1_000) * 2 ** Math.max(0, this.failures - 1), MAX_RECONNECT_DELAY_MS);
      setTimeout(() => void this.connect(), delay).unref();
    };
    client.on('notification', (message) => {
      this.options.onWake?.();
      this.options.onNotification?.(message.payload ?? '');
    });
    client.on('error', (error) => {
      this.options.onProblem(`listener on ${this.options.channel} lost: ${error.message}`);
      reconnect();
    });
    client.on('end', reconnect);
    this.client = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${this.options.channel}`);
      // Lost while LISTEN was in flight: `reconnect` already ran (and scheduled the next attempt).
      if (this.client !== client) return;
      connected = true;
      this.failures = 0;
      this.reported = false;
      this.options.onListening?.();
      this.options.onWake?.();
    } catch (error) {
      if (!this.reported) this.options.onProblem(`listener on ${this.options.channel} cannot connect: ${(error as Error).message}`);
      this.reported = true;
      reconnect();
    }
  }
}
