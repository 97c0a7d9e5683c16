// Writes classic pcap files of crafted IPv4 traffic: whole TCP sessions (handshake, payloads, teardown), UDP
// datagrams, TLS ClientHellos with SNI and HTTP requests with Host. For the Suricata replay tests and the journeys.

type Bytes = number[];

function u16(n: number): Bytes {
    return [(n >> 8) & 0xff, n & 0xff];
}
function u24(n: number): Bytes {
    return [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
}
function u32(n: number): Bytes {
    return [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}
function ip(address: string): Bytes {
    return address.split(".").map(Number);
}
function ascii(text: string): Bytes {
    return [...Buffer.from(text, "latin1")];
}

function checksum(data: Bytes): number {
    let sum = 0;
    for (let i = 0; i < data.length; i += 2) {
        sum += ((data[i] ?? 0) << 8) + (data[i + 1] ?? 0);
    }
    while (sum > 0xffff) {
        sum = (sum & 0xffff) + (sum >>> 16);
    }
    return ~sum & 0xffff;
}

function ipv4(src: string, dst: string, protocol: number, payload: Bytes): Bytes {
    const header = [0x45, 0, ...u16(20 + payload.length), 0, 1, 0x40, 0, 64, protocol, 0, 0, ...ip(src), ...ip(dst)];
    const sum = checksum(header);
    header[10] = sum >> 8;
    header[11] = sum & 0xff;
    return [...header, ...payload];
}

function pseudo(src: string, dst: string, protocol: number, length: number): Bytes {
    return [...ip(src), ...ip(dst), 0, protocol, ...u16(length)];
}

function ethernet(payload: Bytes): Bytes {
    return [0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2, 0x08, 0x00, ...payload];
}

export interface Endpoint {
    readonly ip: string;
    readonly port: number;
}

const FIN = 0x01;
const SYN = 0x02;
const PSH = 0x08;
const ACK = 0x10;

function tcpPacket(from: Endpoint, to: Endpoint, seq: number, ack: number, flags: number, payload: Bytes): Bytes {
    const segment = [...u16(from.port), ...u16(to.port), ...u32(seq), ...u32(ack), 0x50, flags, ...u16(65535), 0, 0, 0, 0, ...payload];
    const sum = checksum([...pseudo(from.ip, to.ip, 6, segment.length), ...segment]);
    segment[16] = sum >> 8;
    segment[17] = sum & 0xff;
    return ethernet(ipv4(from.ip, to.ip, 6, segment));
}

export function udpPacket(from: Endpoint, to: Endpoint, payload: Bytes): Bytes {
    const datagram = [...u16(from.port), ...u16(to.port), ...u16(8 + payload.length), 0, 0, ...payload];
    const sum = checksum([...pseudo(from.ip, to.ip, 17, datagram.length), ...datagram]);
    datagram[6] = sum >> 8;
    datagram[7] = sum & 0xff;
    return ethernet(ipv4(from.ip, to.ip, 17, datagram));
}

/**
 * A DNS query message (RFC 1035 section 4.1): header with id, RD set and one question of type A, class IN. Over
 * TCP the message is preceded by its two-byte length (RFC 1035 section 4.2.2), `forTcp`.
 */
export function dnsQuery(name: string, options: { readonly id?: number; readonly forTcp?: boolean } = {}): Bytes {
    const question = [...name.split(".").flatMap((label) => [label.length, ...ascii(label)]), 0, ...u16(1), ...u16(1)];
    const message = [...u16(options.id ?? 0x1234), 0x01, 0x00, ...u16(1), ...u16(0), ...u16(0), ...u16(0), ...question];
    return options.forTcp === true ? [...u16(message.length), ...message] : message;
}

/**
 * An ICMP message. Destination unreachable / fragmentation needed (type 3 code 4) carries the next-hop MTU and the
 * start of the packet that did not fit, as a router on the path sends it (RFC 1191).
 */
export function icmpPacket(from: string, to: string, type: number, code: number, body: Bytes): Bytes {
    const message = [type, code, 0, 0, ...body];
    const sum = checksum(message);
    message[2] = sum >> 8;
    message[3] = sum & 0xff;
    return ethernet(ipv4(from, to, 1, message));
}

/** The body of a "fragmentation needed" message about a TCP packet from `original` to `peer`. */
export function fragmentationNeeded(original: Endpoint, peer: Endpoint, nextHopMtu: number): Bytes {
    const inner = ipv4(original.ip, peer.ip, 6, [...u16(original.port), ...u16(peer.port), 0, 0, 0, 1]);
    return [0, 0, ...u16(nextHopMtu), ...inner];
}

/** One application message; `mss` splits it into segments of at most that many bytes, as TCP does. */
export interface Step {
    readonly from: "client" | "server";
    readonly data: Bytes;
    readonly mss?: number;
}

/** A whole TCP session: handshake, each segment acknowledged in turn, then FIN both ways. */
export function tcpSession(client: Endpoint, server: Endpoint, exchange: readonly Step[]): Bytes[] {
    let c = 1000;
    let s = 5000;
    const packets: Bytes[] = [
        tcpPacket(client, server, c, 0, SYN, []),
        tcpPacket(server, client, s, c + 1, SYN | ACK, []),
        tcpPacket(client, server, c + 1, s + 1, ACK, []),
    ];
    c += 1;
    s += 1;
    for (const step of exchange) {
        const size = step.mss ?? step.data.length;
        for (let offset = 0; offset < step.data.length; offset += size) {
            const segment = step.data.slice(offset, offset + size);
            if (step.from === "client") {
                packets.push(tcpPacket(client, server, c, s, PSH | ACK, segment));
                c += segment.length;
                packets.push(tcpPacket(server, client, s, c, ACK, []));
            } else {
                packets.push(tcpPacket(server, client, s, c, PSH | ACK, segment));
                s += segment.length;
                packets.push(tcpPacket(client, server, c, s, ACK, []));
            }
        }
    }
    packets.push(tcpPacket(client, server, c, s, FIN | ACK, []));
    packets.push(tcpPacket(server, client, s, c + 1, FIN | ACK, []));
    packets.push(tcpPacket(client, server, c + 1, s + 1, ACK, []));
    return packets;
}

function extension(type: number, data: Bytes): Bytes {
    return [...u16(type), ...u16(data.length), ...data];
}

/** X25519MLKEM768 (IANA TLS Supported Groups 0x11EC): a 1,184-byte ML-KEM-768 key plus a 32-byte X25519 share. */
export const X25519MLKEM768 = 0x11ec;
const X25519MLKEM768_SHARE_BYTES = 1216;

export interface ClientHelloOptions {
    /** Send a hybrid post-quantum key share, as OpenSSL 3.5, Go 1.24+, Chrome and curl do by default. */
    readonly postQuantum?: boolean;
    /** Put the SNI extension last, after the key share (so it lands in the second segment of a split hello). */
    readonly sniLast?: boolean;
}

/**
 * A TLS 1.3 ClientHello record carrying one SNI host name. With `postQuantum` it carries an X25519MLKEM768 key
 * share (plus X25519) and browser-style padding: about 1.7 KB, more than one 1,460-byte segment.
 */
export function tlsClientHello(serverName: string, options: ClientHelloOptions = {}): Bytes {
    const name = ascii(serverName);
    const sni = extension(0, [...u16(name.length + 3), 0, ...u16(name.length), ...name]);
    const versions = extension(43, [2, 0x03, 0x04]);
    const pq = options.postQuantum === true;
    const groups = extension(10, pq ? [...u16(4), ...u16(X25519MLKEM768), ...u16(0x001d)] : [...u16(2), ...u16(0x001d)]);
    const share = (group: number, bytes: number): Bytes => [...u16(group), ...u16(bytes), ...new Array<number>(bytes).fill(0x5a)];
    const shares = pq ? [...share(X25519MLKEM768, X25519MLKEM768_SHARE_BYTES), ...share(0x001d, 32)] : share(0x001d, 32);
    const keyShare = extension(51, [...u16(shares.length), ...shares]);
    const padding = pq ? extension(21, new Array<number>(300).fill(0)) : [];
    const rest = [...versions, ...groups, ...keyShare, ...padding];
    const extensions = options.sniLast === true ? [...rest, ...sni] : [...sni, ...rest];
    const body = [
        0x03, 0x03, ...new Array<number>(32).fill(7), 0, ...u16(4), 0x13, 0x01, 0x13, 0x02, 1, 0,
        ...u16(extensions.length), ...extensions,
    ];
    const handshake = [1, ...u24(body.length), ...body];
    return [0x16, 0x03, 0x01, ...u16(handshake.length), ...handshake];
}

/** A TLS ServerHello record. */
export function tlsServerHello(): Bytes {
    const body = [0x03, 0x03, ...new Array<number>(32).fill(9), 0, 0x13, 0x01, 0, ...u16(0)];
    const handshake = [2, ...u24(body.length), ...body];
    return [0x16, 0x03, 0x03, ...u16(handshake.length), ...handshake];
}

export function httpRequest(host: string): Bytes {
    return ascii(`GET /simple/ HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: pip/24\r\nAccept: */*\r\n\r\n`);
}

export function httpResponse(): Bytes {
    return ascii("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 2\r\n\r\nok");
}

/** A pcap file (Ethernet link type), one packet per millisecond. */
export function pcapFile(packets: readonly Bytes[]): Buffer {
    const header = Buffer.from([...u32(0xa1b2c3d4), ...u16(2), ...u16(4), ...u32(0), ...u32(0), ...u32(65535), ...u32(1)]);
    const records = packets.map((p, i) => {
        const seconds = 1_700_000_000 + Math.floor(i / 1000);
        const micros = (i % 1000) * 1000;
        return Buffer.concat([Buffer.from([...u32(seconds), ...u32(micros), ...u32(p.length), ...u32(p.length)]), Buffer.from(p)]);
    });
    return Buffer.concat([header, ...records]);
}
