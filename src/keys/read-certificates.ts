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

/** Puts the first certificate that `matches` first (the leaf); the rest keep their order. */
export function leafFirst(certs: X509Certificate[], matches: (cert: X509Certificate) => boolean): X509Certificate[] {
  const leaf = certs.find(matches);
  return leaf ? [leaf, ...certs.filter((c) => c !== leaf)] : certs;
}
