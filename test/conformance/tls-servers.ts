// The servers the net_ext guest talks to, run by the test process: a TLS echo server that
// upper-cases what it gets, with a self-signed certificate for `localhost` made by the openssl
// binary (none when it is missing: the guest then checks only the error paths), and a plain
// TCP server that closes every connection at once.

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import * as net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tls from "node:tls";

export interface TestServers {
  /** 0 when no certificate could be made. */
  tlsPort: number;
  plainPort: number;
  /** The certificate the host must trust (`runModule`'s `tlsCa`). */
  ca: string[];
  close(): void;
}

/** A self-signed EC certificate for `localhost`, or null without openssl. */
function selfSigned(): { key: string; cert: string } | null {
  const dir = mkdtempSync(join(tmpdir(), "abic-tls-"));
  const [key, cert] = [join(dir, "key.pem"), join(dir, "cert.pem")];
  try {
    execFileSync(
      "openssl",
      ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"],
      { stdio: "ignore" },
    );
  } catch {
    return null;
  }
  return { key: readFileSync(key, "utf8"), cert: readFileSync(cert, "utf8") };
}

const listening = (server: net.Server): Promise<number> =>
  new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port)));

export async function startServers(): Promise<TestServers> {
  const plain = net.createServer((conn) => conn.destroy());
  const plainPort = await listening(plain);
  const pair = selfSigned();
  if (!pair) return { tlsPort: 0, plainPort, ca: [], close: () => plain.close() };
  const secure = tls.createServer(pair, (conn) => {
    conn.on("data", (chunk: Buffer) => conn.write(chunk.toString().toUpperCase()));
    conn.on("error", () => {});
  });
  secure.on("tlsClientError", () => {});
  const tlsPort = await listening(secure);
  return {
    tlsPort,
    plainPort,
    ca: [pair.cert],
    close: () => {
      plain.close();
      secure.close();
    },
  };
}
