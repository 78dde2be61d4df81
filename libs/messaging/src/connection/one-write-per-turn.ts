import type { Socket } from 'node:net';

const coalesced = new WeakSet<Socket>();

/**
 * Makes every frame amqplib writes in one synchronous run go to the socket as one write.
 *
 * amqplib's multiplexer writes each frame (a publish, an ack, a consume) to the socket on its own,
 * and with Nagle off (`noDelay`) each is a system call of ours and a TCP segment the broker wakes
 * up to read: the ten publishes of one committed transaction, or the acks of one turn of the event
 * loop, were ten writes. Here the socket is corked at the first write of a run and uncorked on the
 * next tick, so they leave as one `writev`, in the order written, before any I/O of the next turn:
 * no frame waits for a later event (ADR 2, "One socket write per turn").
 */
export function oneWritePerTurn(socket: Socket): void {
  if (coalesced.has(socket)) return;
  coalesced.add(socket);
  const write = socket.write;
  let corked = false;
  const uncork = () => {
    corked = false;
    socket.uncork();
  };
  socket.write = function (this: Socket, ...args: Parameters<Socket['write']>) {
    if (!corked) {
      corked = true;
      socket.cork();
      process.nextTick(uncork);
    }
    return write.apply(this, args);
  } as Socket['write'];
}

/**
 * The socket under an amqplib connection (its ChannelModel). amqplib does not expose it: this reads its
 * `connection.stream`; an amqplib release that moves it fails the connection spec.
 */
export function socketOf(model: unknown): Socket | undefined {
  const stream = (model as { connection?: { stream?: unknown } } | undefined)?.connection?.stream;
  return isSocket(stream) ? stream : undefined;
}

function isSocket(stream: unknown): stream is Socket {
  return typeof stream === 'object' && stream !== null && typeof (stream as Socket).cork === 'function' && typeof (stream as Socket).write === 'function';
}
