/**
 * Key material for the cluster PKI: ECDSA P-256 keys (small and fast to make;
 * Go's crypto/tls, and so kubectl and client-go, and Node's tls all accept them),
 * kept on disk as PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----"), which Go's
 * tls.X509KeyPair and Node's tls both read.
 *
 * Importing this module wires @peculiar/x509 to Node's WebCrypto; every other
 * module in src/pki imports x509 through here so the provider is always set.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { createPrivateKey, createPublicKey, webcrypto } from 'node:crypto';

x509.cryptoProvider.set(webcrypto);

export { x509 };

/** WebCrypto key types (the project compiles without the DOM lib, so they come from node:crypto). */
export type CryptoKey = webcrypto.CryptoKey;
export type KeyPair = webcrypto.CryptoKeyPair;

/** The key algorithm used for every key and signature in the cluster PKI. */
export const KEY_ALGORITHM: webcrypto.EcKeyGenParams & webcrypto.EcdsaParams = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };

/** Generates a fresh, extractable ECDSA P-256 key pair. */
export async function generateKeyPair(): Promise<KeyPair> {
  return webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']);
}

/** Encodes a private key as PKCS#8 PEM. */
export async function privateKeyToPEM(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY') + '\n';
}

/**
 * Reads a PEM private key into a WebCrypto signing key. Our own keys are ECDSA
 * P-256 PKCS#8; an existing CA brought along from kubeadm (RSA, PKCS#1 or
 * PKCS#8) or an ECDSA P-384 key is also accepted, signing with SHA-256.
 */
export async function privateKeyFromPEM(pem: string): Promise<CryptoKey> {
  const key = createPrivateKey(pem);
  const der = key.export({ type: 'pkcs8', format: 'der' });
  let alg: webcrypto.EcKeyImportParams | webcrypto.RsaHashedImportParams;
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    const namedCurve = curve === 'prime256v1' ? 'P-256' : curve === 'secp384r1' ? 'P-384' : undefined;
    if (namedCurve === undefined) throw new Error(`unsupported EC curve ${String(curve)}`);
    alg = { name: 'ECDSA', namedCurve };
  } else if (key.asymmetricKeyType === 'rsa') {
    alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  } else {
    throw new Error(`unsupported private key type ${String(key.asymmetricKeyType)}`);
  }
  return webcrypto.subtle.importKey('pkcs8', der, alg, true, ['sign']);
}

/** The DER SubjectPublicKeyInfo matching a PEM private key (any algorithm Node reads). */
export function publicKeyDERFromPrivatePEM(pem: string): Buffer {
  return createPublicKey(pem).export({ type: 'spki', format: 'der' });
}

/** True when the PEM private key is the one whose public half the certificate carries. */
export function keyMatchesCertificate(keyPEM: string, cert: x509.X509Certificate): boolean {
  try {
    return publicKeyDERFromPrivatePEM(keyPEM).equals(Buffer.from(cert.publicKey.rawData));
  } catch {
    return false;
  }
}
