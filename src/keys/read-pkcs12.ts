import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

import forge from 'node-forge';

/** The private key and the certificates (leaf first when identifiable) of a PKCS#12 file. */
export interface Pkcs12Contents {
  readonly key: KeyObject;
  readonly certificates: X509Certificate[];
}

const OIDS = {
  shroudedKey: forge.pki.oids.pkcs8ShroudedKeyBag!,
  key: forge.pki.oids.keyBag!,
  cert: forge.pki.oids.certBag!,
};

function bagsOf(p12: forge.pkcs12.Pkcs12Pfx, bagType: string): forge.pkcs12.Bag[] {
  return p12.getBags({ bagType })[bagType] ?? [];
}

/**
 * Opens a PKCS#12 (.pfx/.p12) file with its password. Throws an Error whose message says
 * what is wrong (wrong password, no key, more than one key); never the password itself.
 */
export function readPkcs12(der: Buffer, password: string): Pkcs12Contents {
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(der.toString('binary')));
    p12 = forge.pkcs12.pkcs12FromAsn1(asn1, false, password);
  } catch (err) {
    const message = (err as Error).message;
    throw new Error(
      /mac|password|decrypt|pad/i.test(message) ? 'cannot be opened with the configured password' : `is not a readable PKCS#12 file (${message})`,
    );
  }
  const bags = [...bagsOf(p12, OIDS.shroudedKey), ...bagsOf(p12, OIDS.key)];
  if (bags.length === 0) throw new Error('holds no private key');
  if (bags.length > 1) throw new Error('holds more than one private key; put one key in each file');
  const [bag] = bags as [forge.pkcs12.Bag];
  // forge decodes RSA keys itself and hands back the raw PrivateKeyInfo for the others.
  const info = bag.key ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key)) : (bag as forge.pkcs12.Bag & { asn1: forge.asn1.Asn1 }).asn1;
  const key = createPrivateKey({ key: Buffer.from(forge.asn1.toDer(info).getBytes(), 'binary'), format: 'der', type: 'pkcs8' });

  const certificates = bagsOf(p12, OIDS.cert).map((certBag) => {
    const certAsn1 = certBag.cert ? forge.pki.certificateToAsn1(certBag.cert) : (certBag as { asn1?: forge.asn1.Asn1 }).asn1;
    if (!certAsn1) throw new Error('holds a certificate that cannot be read');
    return new X509Certificate(Buffer.from(forge.asn1.toDer(certAsn1).getBytes(), 'binary'));
  });
  return { key, certificates };
}
