#pragma once

#include <QCoreApplication>
#include <QList>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QString>

#include <optional>

// What a client connection brings to TLS besides the system's trust: certificate authorities of
// its own (a private server's, a company's), and a certificate with its key for servers that ask
// the client for one (mutual TLS). Read from files as curl and OpenSSL write them: PEM (several
// certificates in one file, the key in the certificate's file or one of its own, encrypted or not)
// or PKCS#12 (.p12, .pfx: certificate, key and chain in one file behind a passphrase).
struct ClientTls {
    Q_DECLARE_TR_FUNCTIONS(ClientTls)
public:
    QList<QSslCertificate> extraCaCertificates; // trusted besides the system's
    QSslCertificate certificate; // the client's own; null: none
    QSslKey privateKey;
    QList<QSslCertificate> chain; // intermediates sent after the client's certificate

    bool hasClientCertificate() const { return !certificate.isNull(); }
    // The system's defaults with the above added: what the socket is given before it connects.
    QSslConfiguration configuration() const;

    // Every certificate of a PEM (or DER) file; an error names the file and what is wrong.
    static std::optional<QList<QSslCertificate>> readCaFile(const QString &path, QString *error);
    // The client's certificate and key: `certPath` PEM or PKCS#12 (by its content, not its name);
    // `keyPath` a PEM key when it is not in the certificate's file (empty: look there); the
    // passphrase opens an encrypted key or a PKCS#12 file. Checks that the key is the
    // certificate's.
    // Whether opening these files takes a passphrase: a PKCS#12 file (its passphrase may be empty),
    // or an encrypted PEM key. False when the files cannot be read (readClientIdentity says why).
    static bool needsPassphrase(const QString &certPath, const QString &keyPath);
    static std::optional<ClientTls> readClientIdentity(const QString &certPath, const QString &keyPath,
                                                       const QByteArray &passphrase, QString *error);
};
