#pragma once

#include <QByteArray>
#include <QHash>
#include <QSslCertificate>
#include <QSslKey>
#include <QString>
#include <memory>
#include <optional>

// The proxy's own certificate authority (DESIGN.md): made with OpenSSL on first use (Qt cannot
// make certificates), kept in a directory of the user's (the certificate beside a private key that
// only its owner can read), and used to sign a certificate for each host whose TLS the proxy
// terminates. Trusting it lets the inspector read that host's traffic: the README says what that
// means and how to take the trust back.
class LocalCertificateAuthority {
public:
    struct Leaf {
        QSslCertificate certificate;
        QSslKey key;
    };

    // Where the inspector keeps its CA: <user data directory>/wsinspector/ca (XDG_DATA_HOME on
    // Linux), shared by the window and the command line.
    static QString defaultDirectory();
    // Loads the CA from `directory` (ca.pem, ca-key.pem), creating both on first use. nullptr and
    // `error` when the files cannot be read, made or written, or the key is readable by others.
    static std::unique_ptr<LocalCertificateAuthority> openOrCreate(const QString &directory, QString *error);
    ~LocalCertificateAuthority();

    QSslCertificate certificate() const { return m_certificate; }
    QByteArray certificatePem() const { return m_certificatePem; }
    // "AB:CD:..." of the certificate, for people comparing what they trust with what this is.
    QString sha256Fingerprint() const;
    bool created() const { return m_created; } // made by this openOrCreate() rather than loaded
    // Writes the certificate (never the key) to `path` as PEM, for importing into a browser.
    bool exportCertificate(const QString &path, QString *error) const;

    // A certificate for `host` (a DNS name or an IP address, which goes into subjectAltName) signed by
    // this CA, valid for 397 days (what browsers accept), made once per host and kept in memory.
    std::optional<Leaf> certificateFor(const QString &host, QString *error);

private:
    struct OpenSsl;
    LocalCertificateAuthority();

    std::unique_ptr<OpenSsl> m_ssl;
    QSslCertificate m_certificate;
    QByteArray m_certificatePem;
    bool m_created = false;
    QHash<QString, Leaf> m_leaves;
};
