// Tiny raw Modbus peers that answer exactly the bytes a test wants (wrong unit id, wrong byte count, bad CRC,
// silence, a dropped connection), to prove the engine never takes a wrong answer for data.
import net from "node:net";
import { SerialPort } from "serialport";
import { crc16 } from "../../engine/transport/crc16.js";

export interface FakeRequest {
  unitId: number;
  functionCode: number;
  start: number;
  count: number;
  /** MBAP transaction id (TCP only). */
  transactionId: number;
}

/** Bytes to send back, null to stay silent, "close" to drop the connection (TCP). */
export type FakeAnswer = Buffer | null | "close";
export type FakeResponder = (request: FakeRequest) => FakeAnswer | Promise<FakeAnswer>;

/** The PDU of a good answer to a read: function, byte count, words. */
export function readAnswerPdu(
  functionCode: number,
  words: readonly number[],
  byteCount = 2 * words.length,
): Buffer {
  const pdu = Buffer.alloc(2 + 2 * words.length);
  pdu[0] = functionCode;
  pdu[1] = byteCount;
  words.forEach((word, i) => pdu.writeUInt16BE(word, 2 + 2 * i));
  return pdu;
}

export function tcpAdu(transactionId: number, unitId: number, pdu: Buffer, protocolId = 0): Buffer {
  const header = Buffer.alloc(7);
  header.writeUInt16BE(transactionId, 0);
  header.writeUInt16BE(protocolId, 2);
  header.writeUInt16BE(pdu.length + 1, 4);
  header[6] = unitId;
  return Buffer.concat([header, pdu]);
}

export function rtuFrame(unitId: number, pdu: Buffer, corruptCrc = false): Buffer {
  const body = Buffer.concat([Buffer.from([unitId]), pdu]);
  const crc = Buffer.alloc(2);
  crc.writeUInt16LE(crc16(body) ^ (corruptCrc ? 0x5a5a : 0));
  return Buffer.concat([body, crc]);
}

export interface FakeTcpServer {
  port: number;
  /** Connections accepted so far. */
  connections: number;
  requests: FakeRequest[];
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 (port 0 = any free port). */
export async function startFakeTcp(respond: FakeResponder, port = 0): Promise<FakeTcpServer> {
  const sockets = new Set<net.Socket>();
  const state: FakeTcpServer = { port: 0, connections: 0, requests: [], close: async () => undefined };
  const server = net.createServer((socket) => {
    state.connections++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    let rx = Buffer.alloc(0);
    socket.on("data", async (chunk) => {
      rx = Buffer.concat([rx, chunk]);
      while (rx.length >= 7 && rx.length >= 6 + rx.readUInt16BE(4)) {
        const adu = rx.subarray(0, 6 + rx.readUInt16BE(4));
        rx = rx.subarray(adu.length);
        const request: FakeRequest = {
          transactionId: adu.readUInt16BE(0),
          unitId: adu[6]!,
          functionCode: adu[7]!,
          start: adu.readUInt16BE(8),
          count: adu.readUInt16BE(10),
        };
        state.requests.push(request);
        const answer = await respond(request);
        if (answer === "close") socket.destroy();
        else if (answer) socket.write(answer);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  state.port = (server.address() as net.AddressInfo).port;
  state.close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return state;
}

export interface FakeRtuSlave {
  requests: FakeRequest[];
  close(): Promise<void>;
}

/** Answers 8-byte read requests arriving on one end of a pty pair. */
export async function startFakeRtu(path: string, respond: FakeResponder): Promise<FakeRtuSlave> {
  const port = new SerialPort({ path, baudRate: 9600, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
  const requests: FakeRequest[] = [];
  let rx = Buffer.alloc(0);
  port.on("error", () => undefined);
  port.on("data", async (chunk: Buffer) => {
    rx = Buffer.concat([rx, chunk]);
    while (rx.length >= 8) {
      const frame = rx.subarray(0, 8);
      rx = rx.subarray(8);
      const request: FakeRequest = {
        transactionId: 0,
        unitId: frame[0]!,
        functionCode: frame[1]!,
        start: frame.readUInt16BE(2),
        count: frame.readUInt16BE(4),
      };
      requests.push(request);
      const answer = await respond(request);
      if (answer && answer !== "close") port.write(answer);
    }
  });
  return {
    requests,
    close: () => new Promise<void>((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve())),
  };
}
