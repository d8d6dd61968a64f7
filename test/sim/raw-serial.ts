// A raw serial client for the simulator's RTU tests: write exact frames, collect exact bytes.
import { SerialPort } from "serialport";

export class RawSerialClient {
  private received: Buffer = Buffer.alloc(0);
  private waiters: (() => void)[] = [];

  private constructor(private readonly port: SerialPort) {
    port.on("data", (chunk: Buffer) => {
      this.received = Buffer.concat([this.received, chunk]);
      const waiters = this.waiters;
      this.waiters = [];
      for (const w of waiters) w();
    });
  }

  static open(path: string, baudRate = 9600): Promise<RawSerialClient> {
    return new Promise((resolve, reject) => {
      const port = new SerialPort({ path, baudRate, autoOpen: false });
      port.open((error) => (error ? reject(error) : resolve(new RawSerialClient(port))));
    });
  }

  write(bytes: Buffer): void {
    this.port.write(bytes);
  }

  /** Waits for `bytes` bytes or `timeoutMs`; returns what arrived (up to `bytes`). */
  async read(bytes: number, timeoutMs = 1000): Promise<Buffer> {
    const until = Date.now() + timeoutMs;
    while (this.received.length < bytes && Date.now() < until) {
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

  /** Forgets bytes received so far. */
  flush(): void {
    this.received = Buffer.alloc(0);
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.port.isOpen ? this.port.close(() => resolve()) : resolve()));
  }
}
