// Runs async tasks one after the other: a bus (or a TCP connection) carries one request at a time.
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private waiting = 0;

  /** Tasks queued or running. */
  get size(): number {
    return this.waiting;
  }

  run<T>(task: () => Promise<T>): Promise<T> {
    this.waiting++;
    const result = this.tail.then(task, task).finally(() => this.waiting--);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
