import { randomBytes } from 'node:crypto';
import { Socket, connect } from 'node:net';

/** A plain TCP connection to the test app, for requests no HTTP or WebSocket client would send. */
export function rawConnection(baseUrl: string): Promise<Socket> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Resolves with how long the socket stayed open after `since`, or rejects past `timeoutMs`. */
export function closedWithin(socket: Socket, since: number, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`socket still open after ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('error', () => undefined);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(Date.now() - since);
    });
    socket.resume();
  });
}

/**
 * A WebSocket upgrade written by hand: resolves with the response head once it has arrived and
 * the socket, whose later bytes are the server's frames.
 */
export async function rawUpgrade(
  baseUrl: string,
  path: string,
  protocols?: string,
): Promise<{ head: string; socket: Socket; rest: Buffer }> {
  const socket = await rawConnection(baseUrl);
  socket.write(
    [
      `GET ${path} HTTP/1.1`,
      `Host: ${new URL(baseUrl).host}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
      'Sec-WebSocket-Version: 13',
      ...(protocols === undefined ? [] : [`Sec-WebSocket-Protocol: ${protocols}`]),
      '',
      '',
    ].join('\r\n'),
  );
  let received = Buffer.alloc(0);
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      socket.pause();
      resolve({
        head: received.subarray(0, end).toString('latin1'),
        socket,
        rest: received.subarray(end + 4),
      });
    };
    socket.on('data', onData);
    socket.once('error', reject);
  });
}

/** The code of the first close frame (opcode 8) the server sends on an upgraded raw socket. */
export function closeCode(socket: Socket, already: Buffer = Buffer.alloc(0)): Promise<number> {
  let received = already;
  return new Promise((resolve, reject) => {
    const check = () => {
      // Server frames are unmasked; a close frame's body starts with its two-byte code.
      for (let at = 0; at + 2 <= received.length;) {
        const opcode = received[at] & 0x0f;
        let length = received[at + 1] & 0x7f;
        let body = at + 2;
        if (length === 126) {
          if (at + 4 > received.length) return;
          length = received.readUInt16BE(at + 2);
          body = at + 4;
        }
        if (body + length > received.length) return;
        if (opcode === 8) {
          socket.off('data', onData);
          resolve(received.readUInt16BE(body));
          return;
        }
        at = body + length;
      }
    };
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      check();
    };
    socket.on('data', onData);
    socket.once('close', () => reject(new Error('closed without a close frame')));
    socket.resume();
    check();
  });
}

/** The header of a masked (client) text frame announcing `length` payload bytes, masked with zeros. */
export function clientFrameHeader(length: number): Buffer {
  const header = Buffer.alloc(14);
  header[0] = 0x81;
  header[1] = 0x80 | 127;
  header.writeBigUInt64BE(BigInt(length), 2);
  return header;
}
