// A raw TCP client for the simulator tests: send exact bytes, collect exact bytes.
import { connect, type Socket } from "node:net";

export class RawTcpClient {
  private received: Buffer = Buffer.alloc(0);
  private closedFlag = false;
  private waiters: (() => void)[] = [];

  private constructor(private readonly socket: Socket) {
    socket.on("data", (chunk: Buffer) => {
      this.received = Buffer.concat([this.received, chunk]);
      this.wake();
    });
    socket.on("close", () => {
      this.closedFlag = true;
      this.wake();
    });
    socket.on("error", () => undefined);
  }

  static open(port: number, host = "127.0.0.1"): Promise<RawTcpClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port }, () => resolve(new RawTcpClient(socket)));
      socket.once("error", reject);
    });
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  /** Waits until `bytes` bytes are in (returns them) or `timeoutMs` passes (returns what came). */
  async read(bytes: number, timeoutMs = 1000): Promise<Buffer> {
    const until = Date.now() + timeoutMs;
    while (this.received.length < bytes && !this.closedFlag && Date.now() < until) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, until - Date.now());
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    const out = this.received.subarray(0, bytes);
    this.received = this.received.subarray(out.length);
    return Buffer.from(out);
  }

  /** Waits until the server closes the connection (true) or `timeoutMs` passes (false). */
  async waitClosed(timeoutMs = 1000): Promise<boolean> {
    await this.read(Number.MAX_SAFE_INTEGER, timeoutMs);
    return this.closedFlag;
  }

  close(): void {
    this.socket.destroy();
  }
}
