/**
 * One fan-out frame, encoded once for all local subscribers: the UTF-8 bytes, and the complete
 * unmasked WebSocket text frame (RFC 6455 5.2; server frames are never masked, so the same bytes
 * go to every socket).
 */
export class SharedFrame {
  private bytes: Buffer | undefined;
  private ws: Buffer | undefined;

  constructor(readonly text: string) {}

  get utf8(): Buffer {
    return (this.bytes ??= Buffer.from(this.text, 'utf8'));
  }

  get wsFrame(): Buffer {
    if (this.ws) return this.ws;
    const payload = this.utf8;
    const len = payload.length;
    const headerLen = len < 126 ? 2 : len < 65536 ? 4 : 10;
    const buf = Buffer.allocUnsafe(headerLen + len);
    buf[0] = 0x81; // FIN + text
    if (len < 126) {
      buf[1] = len;
    } else if (len < 65536) {
      buf[1] = 126;
      buf.writeUInt16BE(len, 2);
    } else {
      buf[1] = 127;
      buf.writeUInt32BE(0, 2);
      buf.writeUInt32BE(len, 6);
    }
    payload.copy(buf, headerLen);
    return (this.ws = buf);
  }
}
