import { X509Certificate } from 'node:crypto';

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Reads every certificate of a PEM bundle, or one DER certificate. */
export function readCertificates(data: Buffer): X509Certificate[] {
  const text = data.toString('latin1');
  const pems = text.match(PEM_CERT);
  if (pems) return pems.map((pem) => new X509Certificate(pem));
  if (text.includes('-----BEGIN')) return [];
  return [new X509Certificate(data)];
}

/**
 * Puts the first certificate that `matches` first (the leaf); the rest keep their order. A
 * certificate given twice (inside a .pfx and in the .crt beside it) is kept once.
 */
export function leafFirst(certs: X509Certificate[], matches: (cert: X509Certificate) => boolean): X509Certificate[] {
  const unique = certs.filter((cert, i) => certs.findIndex((other) => other.raw.equals(cert.raw)) === i);
  const leaf = unique.find(matches);
  return leaf ? [leaf, ...unique.filter((c) => c !== leaf)] : unique;
}
