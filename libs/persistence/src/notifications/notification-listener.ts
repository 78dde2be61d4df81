import pg from 'pg';

export interface NotificationListenerOptions {
  /** The database to LISTEN on. */
  url: string;
  /** A name of the form [a-z_][a-z0-9_]*: it is spliced into the LISTEN statement. */
  channel: string;
  /**
   * Of the LISTEN connection (how an operator finds it in pg_stat_activity). Listeners of this
   * process with the same database and application name share one connection (see below).
   */
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
 * A LISTEN on one channel over a dedicated connection, reconnecting after any loss. Wakes its owner
 * (the outbox relay, the notification dispatcher) as soon as a writer commits, so their latency is
 * not a polling interval; they keep a slow poll as a safety net. An owner that caches what the
 * notifications invalidate (a ListenedCache) reads their payloads and is told when the
 * connection is lost and when it listens again.
 *
 * The listeners of one process with the same database URL and application name share one
 * connection, each LISTENing on its channel there. PostgreSQL wakes every LISTENing backend of a
 * database on every NOTIFY in it, whatever its channels, and each woken backend runs a transaction
 * to read the notification queue: in notifications (the outbox relay, the delivery dispatcher and
 * the webhook subscription cache) that was three transactions per planned delivery's NOTIFY, and
 * three connections (issue 13). Each listener is told of its own notifications, of the connection's
 * losses and reconnects, and of its problems, as with a connection of its own.
 */
export class NotificationListener {
  private connection?: SharedListenConnection;

  constructor(readonly options: NotificationListenerOptions) {
    if (!/^[a-z_][a-z0-9_]*$/.test(options.channel)) throw new Error(`invalid LISTEN channel "${options.channel}"`);
  }

  /** Listens (connecting, or joining this process's connection); resolves once it listens or its first connect failed (then it retries). */
  async start(): Promise<void> {
    if (this.connection) return;
    this.connection = SharedListenConnection.for(this.options.url, this.options.applicationName);
    await this.connection.join(this);
  }

  /** Stops listening; the connection ends with its last listener. */
  async stop(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    await connection?.leave(this);
  }
}

/** The shared connections, by database URL and application name. */
const connections = new Map<string, SharedListenConnection>();

/** One LISTEN connection and the listeners on it (see NotificationListener). */
class SharedListenConnection {
  private readonly members = new Set<NotificationListener>();
  /** The members told their channel is listened on (onListening) since the connection last came up. */
  private readonly told = new Set<NotificationListener>();
  private client?: pg.Client;
  /** Channels LISTENed on `client`. */
  private listened = new Set<string>();
  private retry?: NodeJS.Timeout;
  /** Failed connects in a row: the reconnect delay backs off while the database stays away. */
  private failures = 0;
  private reported = false;
  /** Connects, LISTENs and UNLISTENs one after another. */
  private work: Promise<void> = Promise.resolve();

  private constructor(
    private readonly key: string,
    private readonly url: string,
    private readonly applicationName: string,
  ) {}

  static for(url: string, applicationName: string): SharedListenConnection {
    const key = JSON.stringify([url, applicationName]);
    let connection = connections.get(key);
    if (!connection) {
      connection = new SharedListenConnection(key, url, applicationName);
      connections.set(key, connection);
    }
    return connection;
  }

  join(member: NotificationListener): Promise<void> {
    this.members.add(member);
    return this.sync();
  }

  async leave(member: NotificationListener): Promise<void> {
    this.members.delete(member);
    this.told.delete(member);
    if (this.members.size > 0) return this.sync();
    // The last one: the connection ends (a later listener starts a new one).
    if (connections.get(this.key) === this) connections.delete(this.key);
    clearTimeout(this.retry);
    this.retry = undefined;
    // Ended first: a connect under way (a database that does not answer) gives up at once.
    const client = this.client;
    this.client = undefined;
    this.listened = new Set();
    await client?.end().catch(() => undefined);
    await this.work;
  }

  /** Brings the connection in line with its members (connect, LISTEN, UNLISTEN), after what is under way. */
  private sync(): Promise<void> {
    this.work = this.work.then(() => this.syncNow()).catch(() => undefined);
    return this.work;
  }

  private async syncNow(): Promise<void> {
    if (this.members.size === 0 || this.retry) return;
    if (!this.client) {
      await this.connect();
      return;
    }
    const client = this.client;
    const wanted = new Set([...this.members].map((member) => member.options.channel));
    const statements = [
      ...[...wanted].filter((channel) => !this.listened.has(channel)).map((channel) => `LISTEN ${channel}`),
      ...[...this.listened].filter((channel) => !wanted.has(channel)).map((channel) => `UNLISTEN ${channel}`),
    ];
    if (statements.length > 0) {
      try {
        await client.query(statements.join('; '));
      } catch {
        // The connection was lost meanwhile: `lost` reconnects, LISTENing every member's channel.
        return;
      }
      if (this.client !== client) return;
      this.listened = wanted;
    }
    this.tellListening();
  }

  private async connect(): Promise<void> {
    // TCP keep-alive: a connection to a vanished server is noticed (and reconnected) without waiting for a query.
    const client = new pg.Client({
      connectionString: this.url,
      application_name: this.applicationName,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    client.on('notification', (message) => {
      if (this.client !== client) return;
      for (const member of [...this.members]) {
        if (member.options.channel !== message.channel) continue;
        member.options.onWake?.();
        member.options.onNotification?.(message.payload ?? '');
      }
    });
    client.on('error', (error) => {
      if (this.client !== client) return;
      for (const member of [...this.members]) member.options.onProblem(`listener on ${member.options.channel} lost: ${error.message}`);
      this.lost(client);
    });
    client.on('end', () => this.lost(client));
    this.client = client;
    const channels = new Set([...this.members].map((member) => member.options.channel));
    try {
      await client.connect();
      await client.query([...channels].map((channel) => `LISTEN ${channel}`).join('; '));
    } catch (error) {
      if (this.client !== client) return;
      if (!this.reported) {
        for (const member of [...this.members]) member.options.onProblem(`listener on ${member.options.channel} cannot connect: ${(error as Error).message}`);
      }
      this.reported = true;
      this.failures++;
      this.lost(client);
      return;
    }
    // Lost while LISTEN was in flight: `lost` already ran (and scheduled the next attempt).
    if (this.client !== client) return;
    this.listened = channels;
    this.failures = 0;
    this.reported = false;
    // Members that joined while it connected get their LISTEN now.
    await this.syncNow();
  }

  /** Tells the members not told yet since the connection came up that they listen (and to look for what they missed). */
  private tellListening(): void {
    for (const member of [...this.members]) {
      if (this.told.has(member) || !this.listened.has(member.options.channel)) continue;
      this.told.add(member);
      member.options.onListening?.();
      member.options.onWake?.();
    }
  }

  /** The connection ended or failed: the members that listened are told, and it reconnects after a delay. */
  private lost(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.listened = new Set();
    client.end().catch(() => undefined);
    const told = [...this.told];
    this.told.clear();
    for (const member of told) member.options.onLost?.();
    if (this.members.size === 0) return;
    const first = Math.min(...[...this.members].map((member) => member.options.reconnectDelayMs ?? 1_000));
    const delay = Math.min(first * 2 ** Math.max(0, this.failures - 1), MAX_RECONNECT_DELAY_MS);
    clearTimeout(this.retry);
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.sync();
    }, delay);
    this.retry.unref();
  }
}
