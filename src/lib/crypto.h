/*
 * crypto.h - the few cryptographic operations Qingling needs, over
 * libsodium (argon2id, random numbers) and OpenSSL 3 (SM3, SHA-256).
 */
#ifndef QL_CRYPTO_H
#define QL_CRYPTO_H

#include <stddef.h>

#define CRYPTO_HASH_HEX 65	/* 64 hex digits + NUL for SM3 and SHA-256 */
#define CRYPTO_PWHASH_MAX 128	/* crypto_pwhash_STRBYTES */
#define CRYPTO_TOKEN_MAX 64

/* Must be called once before threads start; -1 if libsodium fails. */
int crypto_init(void);

/* Writes a fresh random token: `prefix` + 43 url-safe base64 characters
 * (256 bits). */
void crypto_token(const char *prefix, char *out, size_t n);

/* Hex digests of data. */
void crypto_sm3_hex(const void *data, size_t n, char out[CRYPTO_HASH_HEX]);
void crypto_sha256_hex(const void *data, size_t n, char out[CRYPTO_HASH_HEX]);

/* argon2id: hash a password into out (a self-describing $argon2id$ string).
 * Returns 0, or -1 when out of memory. */
int crypto_password_hash(const char *pw, char out[CRYPTO_PWHASH_MAX]);
/* 1 if pw matches the stored hash, 0 if not. */
int crypto_password_verify(const char *hash, const char *pw);
/* Constant-time comparison of two NUL-terminated strings. */
int crypto_str_equal(const char *a, const char *b);

#endif
