#include "net/localcertificateauthority.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QHostAddress>
#include <QSaveFile>
#include <QStandardPaths>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace {

struct Tr {
    Q_DECLARE_TR_FUNCTIONS(LocalCertificateAuthority)
};

constexpr long CaValidityDays = 3650;
constexpr long LeafValidityDays = 397; // browsers refuse server certificates valid for longer

template <typename T, void (*Free)(T *)> struct Deleter {
    void operator()(T *p) const { Free(p); }
};
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using Cert = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using Bio = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

// The last OpenSSL error, for a message.
QString openSslError()
{
    const unsigned long code = ERR_get_error();
    char text[256] = {};
    if (code)
        ERR_error_string_n(code, text, sizeof text);
    ERR_clear_error();
    return code ? QString::fromLatin1(text) : Tr::tr("unknown OpenSSL error");
}

QByteArray toPem(int (*write)(BIO *, void *), void *object)
{
    Bio bio(BIO_new(BIO_s_mem()));
    if (!bio || !write(bio.get(), object))
        return {};
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, qsizetype(size));
}

QByteArray pemOf(X509 *cert)
{
    return toPem([](BIO *b, void *o) { return PEM_write_bio_X509(b, static_cast<X509 *>(o)); }, cert);
}

QByteArray keyPem(EVP_PKEY *key)
{
    return toPem(
        [](BIO *b, void *o) {
            return PEM_write_bio_PrivateKey(b, static_cast<EVP_PKEY *>(o), nullptr, nullptr, 0, nullptr, nullptr);
        },
        key);
}

bool addExtension(X509 *cert, X509 *issuer, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION *extension = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    if (!extension)
        return false;
    const bool added = X509_add_ext(cert, extension, -1) == 1;
    X509_EXTENSION_free(extension);
    return added;
}

// A new certificate for `key` with a random 127-bit serial, valid from an hour ago (clocks differ)
// for `days`, named `commonName`.
Cert newCertificate(EVP_PKEY *key, const QByteArray &commonName, long days)
{
    Cert cert(X509_new());
    if (!cert || !X509_set_version(cert.get(), 2))
        return nullptr;
    std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>> serial(BN_new());
    if (!serial || !BN_rand(serial.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY)
        || !BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())))
        return nullptr;
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), days * 24 * 3600);
    if (!X509_set_pubkey(cert.get(), key))
        return nullptr;
    X509_NAME *name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(
        name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char *>("WebSocket Inspector"), -1, -1, 0);
    X509_NAME_add_entry_by_txt(
        name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char *>(commonName.constData()), -1, -1, 0);
    return cert;
}

Key newKey()
{
    return Key(EVP_EC_gen("P-256"));
}

} // namespace

struct LocalCertificateAuthority::OpenSsl {
    Key key;
    Cert certificate;
};

LocalCertificateAuthority::LocalCertificateAuthority()
    : m_ssl(std::make_unique<OpenSsl>())
{
}

LocalCertificateAuthority::~LocalCertificateAuthority() = default;

QString LocalCertificateAuthority::defaultDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + QStringLiteral("/wsinspector/ca");
}

std::unique_ptr<LocalCertificateAuthority> LocalCertificateAuthority::openOrCreate(
    const QString &directory, QString *error)
{
    auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return nullptr;
    };
    const QString certPath = directory + QStringLiteral("/ca.pem");
    const QString keyPath = directory + QStringLiteral("/ca-key.pem");
    std::unique_ptr<LocalCertificateAuthority> ca(new LocalCertificateAuthority);

    if (QFile::exists(certPath) || QFile::exists(keyPath)) {
        QFile keyFile(keyPath);
        const QFileDevice::Permissions others
            = QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ReadOther | QFileDevice::WriteOther;
        if (keyFile.exists() && (keyFile.permissions() & others))
            return fail(
                Tr::tr("%1 can be read by other users; the proxy will not use a certificate authority whose key "
                       "others may have copied (remove the directory to make a new one)")
                    .arg(keyPath));
        QFile certFile(certPath);
        if (!keyFile.open(QIODevice::ReadOnly) || !certFile.open(QIODevice::ReadOnly))
            return fail(Tr::tr("cannot read the certificate authority in %1: %2")
                            .arg(directory, keyFile.isOpen() ? certFile.errorString() : keyFile.errorString()));
        const QByteArray keyBytes = keyFile.readAll(), certBytes = certFile.readAll();
        Bio keyBio(BIO_new_mem_buf(keyBytes.constData(), int(keyBytes.size())));
        Bio certBio(BIO_new_mem_buf(certBytes.constData(), int(certBytes.size())));
        ca->m_ssl->key.reset(PEM_read_bio_PrivateKey(keyBio.get(), nullptr, nullptr, nullptr));
        ca->m_ssl->certificate.reset(PEM_read_bio_X509(certBio.get(), nullptr, nullptr, nullptr));
        if (!ca->m_ssl->key || !ca->m_ssl->certificate
            || X509_check_private_key(ca->m_ssl->certificate.get(), ca->m_ssl->key.get()) != 1)
            return fail(Tr::tr("the certificate authority in %1 is damaged: %2").arg(directory, openSslError()));
    } else {
        ca->m_ssl->key = newKey();
        if (!ca->m_ssl->key)
            return fail(Tr::tr("cannot make a key: %1").arg(openSslError()));
        ca->m_ssl->certificate = newCertificate(ca->m_ssl->key.get(), "WebSocket Inspector local CA", CaValidityDays);
        X509 *cert = ca->m_ssl->certificate.get();
        if (!cert || !X509_set_issuer_name(cert, X509_get_subject_name(cert))
            || !addExtension(cert, cert, NID_basic_constraints, "critical,CA:TRUE,pathlen:0")
            || !addExtension(cert, cert, NID_key_usage, "critical,keyCertSign,cRLSign")
            || !addExtension(cert, cert, NID_subject_key_identifier, "hash")
            || !X509_sign(cert, ca->m_ssl->key.get(), EVP_sha256()))
            return fail(Tr::tr("cannot make the certificate authority: %1").arg(openSslError()));
        if (!QDir().mkpath(directory))
            return fail(Tr::tr("cannot create %1").arg(directory));
        QFile::setPermissions(directory, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        // The key is written readable by its owner only, before a byte of it reaches the disk.
        QSaveFile keyFile(keyPath);
        if (!keyFile.open(QIODevice::WriteOnly)
            || !keyFile.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)
            || keyFile.write(keyPem(ca->m_ssl->key.get())) <= 0 || !keyFile.commit())
            return fail(Tr::tr("cannot write %1: %2").arg(keyPath, keyFile.errorString()));
        QSaveFile certFile(certPath);
        if (!certFile.open(QIODevice::WriteOnly) || certFile.write(pemOf(cert)) <= 0 || !certFile.commit())
            return fail(Tr::tr("cannot write %1: %2").arg(certPath, certFile.errorString()));
        ca->m_created = true;
    }
    ca->m_certificatePem = pemOf(ca->m_ssl->certificate.get());
    ca->m_certificate = QSslCertificate(ca->m_certificatePem, QSsl::Pem);
    return ca;
}

QString LocalCertificateAuthority::sha256Fingerprint() const
{
    return QString::fromLatin1(m_certificate.digest(QCryptographicHash::Sha256).toHex(':').toUpper());
}

bool LocalCertificateAuthority::exportCertificate(const QString &path, QString *error) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(m_certificatePem) != m_certificatePem.size() || !file.commit()) {
        if (error)
            *error = Tr::tr("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

std::optional<LocalCertificateAuthority::Leaf> LocalCertificateAuthority::certificateFor(
    const QString &host, QString *error)
{
    const QString key = host.toLower();
    if (const auto it = m_leaves.constFind(key); it != m_leaves.constEnd())
        return *it;
    auto fail = [error](const QString &why) -> std::optional<Leaf> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (host.isEmpty() || host.size() > 253)
        return fail(Tr::tr("\"%1\" is not a host name").arg(host.left(60)));
    for (const QChar c : host)
        if (!((c.unicode() < 128 && c.isLetterOrNumber()) || c == u'.' || c == u'-' || c == u':' || c == u'_'))
            return fail(Tr::tr("\"%1\" is not a host name").arg(host.left(60)));
    Key leafKey = newKey();
    if (!leafKey)
        return fail(Tr::tr("cannot make a key: %1").arg(openSslError()));
    const QByteArray name = key.toUtf8();
    Cert cert = newCertificate(leafKey.get(), name.left(64), LeafValidityDays);
    const bool isAddress = !QHostAddress(host).isNull();
    const QByteArray altName = (isAddress ? "IP:" : "DNS:") + name;
    X509 *issuer = m_ssl->certificate.get();
    if (!cert || !X509_set_issuer_name(cert.get(), X509_get_subject_name(issuer))
        || !addExtension(cert.get(), issuer, NID_basic_constraints, "critical,CA:FALSE")
        || !addExtension(cert.get(), issuer, NID_key_usage, "critical,digitalSignature,keyEncipherment")
        || !addExtension(cert.get(), issuer, NID_ext_key_usage, "serverAuth")
        || !addExtension(cert.get(), issuer, NID_subject_alt_name, altName.constData())
        || !addExtension(cert.get(), issuer, NID_authority_key_identifier, "keyid:always")
        || !X509_sign(cert.get(), m_ssl->key.get(), EVP_sha256()))
        return fail(Tr::tr("cannot make a certificate for %1: %2").arg(host, openSslError()));
    Leaf leaf { QSslCertificate(pemOf(cert.get()), QSsl::Pem),
        QSslKey(keyPem(leafKey.get()), QSsl::Ec, QSsl::Pem, QSsl::PrivateKey) };
    if (leaf.certificate.isNull() || leaf.key.isNull())
        return fail(Tr::tr("Qt could not read the certificate made for %1").arg(host));
    // Any local client can name hosts: the cache is kept to a size (a leaf is quick to make again).
    constexpr qsizetype KeptLeaves = 1000;
    if (m_leaves.size() >= KeptLeaves)
        m_leaves.clear();
    m_leaves.insert(key, leaf);
    return leaf;
}
