#include "net/clienttls.h"

#include <QFile>

#include <openssl/evp.h>
#include <openssl/x509.h>

namespace {

std::optional<QByteArray> readAll(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = ClientTls::tr("cannot read \"%1\": %2").arg(path, file.errorString());
        return std::nullopt;
    }
    return file.readAll();
}

bool isPem(const QByteArray &bytes)
{
    return bytes.contains("-----BEGIN ");
}

// The key of a PEM file, whatever its algorithm; a null key when there is none or it does not open.
QSslKey pemKey(const QByteArray &bytes, const QByteArray &passphrase)
{
    for (const QSsl::KeyAlgorithm algorithm : { QSsl::Rsa, QSsl::Ec, QSsl::Dsa, QSsl::Dh }) {
        const QSslKey key(bytes, algorithm, QSsl::Pem, QSsl::PrivateKey, passphrase);
        if (!key.isNull())
            return key;
    }
    return {};
}

// Qt cannot say whether a private key belongs to a certificate; OpenSSL can (wsi_models links its
// crypto library for the proxy's certificate authority already).
bool keyMatches(const QSslCertificate &certificate, const QSslKey &key)
{
    const QByteArray certDer = certificate.toDer();
    const QByteArray keyDer = key.toDer();
    const auto *c = reinterpret_cast<const unsigned char *>(certDer.constData());
    const auto *k = reinterpret_cast<const unsigned char *>(keyDer.constData());
    X509 *x509 = d2i_X509(nullptr, &c, long(certDer.size()));
    EVP_PKEY *pkey = d2i_AutoPrivateKey(nullptr, &k, long(keyDer.size()));
    const bool matches = x509 && pkey && X509_check_private_key(x509, pkey) == 1;
    EVP_PKEY_free(pkey);
    X509_free(x509);
    return matches;
}

} // namespace

QSslConfiguration ClientTls::configuration() const
{
    QSslConfiguration c = QSslConfiguration::defaultConfiguration();
    // The system's authorities are loaded on demand only while the list is untouched: adding to it
    // would leave them out, so the list is the system's plus ours, spelled out.
    if (!extraCaCertificates.isEmpty())
        c.setCaCertificates(QSslConfiguration::systemCaCertificates() + extraCaCertificates);
    if (hasClientCertificate()) {
        c.setLocalCertificate(certificate);
        c.setPrivateKey(privateKey);
        if (!chain.isEmpty())
            c.setLocalCertificateChain(QList<QSslCertificate> { certificate } + chain);
    }
    return c;
}

std::optional<QList<QSslCertificate>> ClientTls::readCaFile(const QString &path, QString *error)
{
    const auto bytes = readAll(path, error);
    if (!bytes)
        return std::nullopt;
    const QList<QSslCertificate> certificates = QSslCertificate::fromData(*bytes, isPem(*bytes) ? QSsl::Pem : QSsl::Der);
    if (certificates.isEmpty()) {
        if (error)
            *error = tr("\"%1\" holds no certificate (PEM \"-----BEGIN CERTIFICATE-----\" blocks, or one DER certificate)").arg(path);
        return std::nullopt;
    }
    return certificates;
}

bool ClientTls::needsPassphrase(const QString &certPath, const QString &keyPath)
{
    const auto bytes = readAll(certPath, nullptr);
    if (!bytes)
        return false;
    if (!isPem(*bytes))
        return true;
    const auto key = keyPath.isEmpty() ? bytes : readAll(keyPath, nullptr);
    // PKCS#8 ("BEGIN ENCRYPTED PRIVATE KEY") or the traditional form's header.
    return key && (key->contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") || key->contains("Proc-Type: 4,ENCRYPTED"));
}

std::optional<ClientTls> ClientTls::readClientIdentity(const QString &certPath, const QString &keyPath,
                                                       const QByteArray &passphrase, QString *error)
{
    const auto bytes = readAll(certPath, error);
    if (!bytes)
        return std::nullopt;
    ClientTls tls;
    if (!isPem(*bytes)) {
        // PKCS#12: certificate, key and chain in one file, behind the passphrase.
        if (!keyPath.isEmpty()) {
            if (error)
                *error = tr("\"%1\" is not PEM: as a PKCS#12 file it holds its key, so leave the key file out").arg(certPath);
            return std::nullopt;
        }
        QFile file(certPath);
        if (!file.open(QIODevice::ReadOnly) || !QSslCertificate::importPkcs12(&file, &tls.privateKey, &tls.certificate, &tls.chain, passphrase)) {
            if (error)
                *error = tr("\"%1\" is neither PEM nor a PKCS#12 file that this passphrase opens%2")
                             .arg(certPath, passphrase.isEmpty() ? tr(" (no passphrase was given)") : QString());
            return std::nullopt;
        }
        return tls;
    }
    const QList<QSslCertificate> certificates = QSslCertificate::fromData(*bytes, QSsl::Pem);
    if (certificates.isEmpty()) {
        if (error)
            *error = tr("\"%1\" holds no certificate").arg(certPath);
        return std::nullopt;
    }
    tls.certificate = certificates.first();
    tls.chain = certificates.mid(1);
    QByteArray keyBytes = *bytes;
    QString keyFile = certPath;
    if (!keyPath.isEmpty()) {
        const auto key = readAll(keyPath, error);
        if (!key)
            return std::nullopt;
        keyBytes = *key;
        keyFile = keyPath;
    }
    if (!keyBytes.contains("PRIVATE KEY-----")) {
        if (error)
            *error = keyPath.isEmpty() ? tr("\"%1\" holds no private key: give its key file too").arg(certPath)
                                       : tr("\"%1\" holds no private key").arg(keyPath);
        return std::nullopt;
    }
    tls.privateKey = pemKey(keyBytes, passphrase);
    if (tls.privateKey.isNull()) {
        if (error)
            *error = keyBytes.contains("ENCRYPTED")
                ? tr("the private key in \"%1\" is encrypted, and %2").arg(keyFile, passphrase.isEmpty() ? tr("no passphrase was given") : tr("this passphrase does not open it"))
                : tr("the private key in \"%1\" cannot be read").arg(keyFile);
        return std::nullopt;
    }
    if (!keyMatches(tls.certificate, tls.privateKey)) {
        if (error)
            *error = tr("the private key in \"%1\" is not the key of the certificate in \"%2\"").arg(keyFile, certPath);
        return std::nullopt;
    }
    return tls;
}
