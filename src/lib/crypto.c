/*
 * crypto.c - libsodium and OpenSSL wrappers (see crypto.h).
 *
 * Password hashing uses argon2id at libsodium's "interactive" limits
 * (2 passes, 64 MiB): a login costs about a tenth of a second, which is the
 * intended brake on guessing.  The hash string records its own parameters,
 * so raising the limits later keeps old hashes verifiable.
 */
#include "crypto.h"

#include <openssl/evp.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static const unsigned long long ops_limit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
static const size_t mem_limit = crypto_pwhash_MEMLIMIT_INTERACTIVE;

int crypto_init(void)
{
	return sodium_init() < 0 ? -1 : 0;
}

void crypto_token(const char *prefix, char *out, size_t n)
{
	unsigned char raw[32];
	char enc[64];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(enc, sizeof enc, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	size_t pl = strlen(prefix);
	if (n < pl + strlen(enc) + 1) {
		if (n)
			out[0] = 0;
		return;
	}
	memcpy(out, prefix, pl);
	strcpy(out + pl, enc);
}

static void digest_hex(const char *name, const void *data, size_t n, char out[CRYPTO_HASH_HEX])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	out[0] = 0;
	EVP_MD *md_alg = EVP_MD_fetch(NULL, name, NULL);
	if (!md_alg)
		abort(); /* SM3 and SHA-256 ship with OpenSSL 3's default provider */
	if (EVP_Digest(data, n, md, &len, md_alg, NULL) != 1)
		abort();
	EVP_MD_free(md_alg);
	sodium_bin2hex(out, CRYPTO_HASH_HEX, md, len > 32 ? 32 : len);
}

void crypto_sm3_hex(const void *data, size_t n, char out[CRYPTO_HASH_HEX])
{
	digest_hex("SM3", data, n, out);
}

void crypto_sha256_hex(const void *data, size_t n, char out[CRYPTO_HASH_HEX])
{
	digest_hex("SHA256", data, n, out);
}

int crypto_password_hash(const char *pw, char out[CRYPTO_PWHASH_MAX])
{
	return crypto_pwhash_str_alg(out, pw, strlen(pw), ops_limit, mem_limit,
				     crypto_pwhash_ALG_ARGON2ID13) == 0 ? 0 : -1;
}

int crypto_password_verify(const char *hash, const char *pw)
{
	return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

int crypto_str_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la != lb)
		return 0;
	return sodium_memcmp(a, b, la) == 0;
}
