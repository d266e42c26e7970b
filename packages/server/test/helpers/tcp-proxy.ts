import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';

export type ProxyMode = 'pass' | 'stall' | 'drop';

interface Pair {
  client: Socket;
  upstream: Socket;
  /** Bytes held while stalled, per direction, delivered in order on restore. */
  toUpstream: Buffer[];
  toClient: Buffer[];
}

/**
 * A TCP proxy in front of a server (here PostgreSQL) that can misbehave on demand:
 * - `pass`: forwards both ways;
 * - `stall`: a silent server or a network partition — connections stay open and new ones are
 *   accepted, but no byte is delivered either way (held, as TCP would retransmit them, and
 *   delivered on `restore`);
 * - `drop`: every connection is destroyed and new ones are refused (the port is closed), as
 *   when the server's process is gone;
 * - `restore`: back to `pass`.
 */
export class TcpProxy {
  private mode: ProxyMode = 'pass';
  private server: Server | undefined;
  private readonly pairs = new Set<Pair>();
  /** Connections accepted so far (a pool that reconnects shows here). */
  accepted = 0;

  private constructor(
    private readonly target: { host: string; port: number },
    public port: number,
  ) {}

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const proxy = new TcpProxy(target, 0);
    await proxy.listen();
    return proxy;
  }

  get state(): ProxyMode {
    return this.mode;
  }

  /** Live proxied connections. */
  get connections(): number {
    return this.pairs.size;
  }

  stall(): void {
    this.mode = 'stall';
  }

  async drop(): Promise<void> {
    this.mode = 'drop';
    for (const pair of this.pairs) this.close(pair);
    await this.closeListener();
  }

  async restore(): Promise<void> {
    const was = this.mode;
    this.mode = 'pass';
    if (was === 'drop') await this.listen();
    for (const pair of this.pairs) this.flush(pair);
  }

  async close(pair?: Pair): Promise<void> {
    if (pair) {
      this.pairs.delete(pair);
      pair.client.destroy();
      pair.upstream.destroy();
      return;
    }
    this.mode = 'drop';
    for (const p of this.pairs) await this.close(p);
    await this.closeListener();
  }

  private listen(): Promise<void> {
    const server = createServer((client) => this.accept(client));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      // Port 0 the first time; the same port again after a drop (clients keep their URL).
      server.listen(this.port, '127.0.0.1', () => {
        this.port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  private closeListener(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }

  private accept(client: Socket): void {
    if (this.mode === 'drop') {
      client.destroy();
      return;
    }
    this.accepted++;
    const upstream = connect(this.target.port, this.target.host);
    const pair: Pair = { client, upstream, toUpstream: [], toClient: [] };
    this.pairs.add(pair);
    const forward = (from: Socket, to: Socket, held: Buffer[]) => {
      from.on('data', (chunk: Buffer) => {
        if (this.mode === 'pass' && held.length === 0) to.write(chunk);
        else held.push(chunk);
      });
      from.on('end', () => {
        if (this.mode === 'pass') to.end();
      });
      from.on('error', () => this.close(pair));
      from.on('close', () => {
        // A stalled peer hears nothing, not even that the other side went away.
        if (this.mode === 'pass') this.close(pair);
      });
    };
    forward(client, upstream, pair.toUpstream);
    forward(upstream, client, pair.toClient);
  }

  /** After a stall: a side that gave up meanwhile closes the pair, else held bytes go through. */
  private flush(pair: Pair): void {
    if (pair.client.destroyed || pair.upstream.destroyed) {
      this.close(pair);
      return;
    }
    for (const chunk of pair.toUpstream.splice(0)) pair.upstream.write(chunk);
    for (const chunk of pair.toClient.splice(0)) pair.client.write(chunk);
  }
}
