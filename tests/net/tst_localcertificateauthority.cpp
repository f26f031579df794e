// The proxy's certificate authority: made once, kept with a private key only its owner can read,
// refused when others could read it, and signing host certificates that OpenSSL's own `openssl
// verify` (an independent checker) accepts and that a real TLS handshake with Qt trusts.

#include "net/localcertificateauthority.h"

#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

namespace {
constexpr QFileDevice::Permissions GroupOrOther = QFileDevice::ReadGroup | QFileDevice::WriteGroup
    | QFileDevice::ExeGroup | QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ExeOther;

QString runOpenSsl(const QStringList &args)
{
    QProcess openssl;
    openssl.setProcessChannelMode(QProcess::MergedChannels);
    openssl.start(QStringLiteral("openssl"), args);
    if (!openssl.waitForFinished(20'000))
        return QStringLiteral("openssl did not run: ") + openssl.errorString();
    return QString::fromUtf8(openssl.readAll()).trimmed();
}
} // namespace

class tst_LocalCertificateAuthority : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void createdOnceKeptPrivate();
    void keyReadableByOthersRefused();
    void hostCertificatesVerify_data();
    void hostCertificatesVerify();
    void tlsHandshakeTrustsIt();
    void badHostRefused();
};

void tst_LocalCertificateAuthority::createdOnceKeptPrivate()
{
    QTemporaryDir dir;
    const QString where = dir.filePath(QStringLiteral("ca"));
    QString error;
    auto ca = LocalCertificateAuthority::openOrCreate(where, &error);
    QVERIFY2(ca, qPrintable(error));
    QVERIFY(ca->created());
    QVERIFY(!(QFile::permissions(where + QStringLiteral("/ca-key.pem")) & GroupOrOther));
    QVERIFY(!(QFile::permissions(where) & GroupOrOther));
    QVERIFY(ca->certificate().isSelfSigned());
    QCOMPARE(ca->certificate().subjectInfo(QSslCertificate::CommonName),
        QStringList { QStringLiteral("WebSocket Inspector local CA") });
    QVERIFY(runOpenSsl({ QStringLiteral("x509"), QStringLiteral("-in"), where + QStringLiteral("/ca.pem"),
                           QStringLiteral("-noout"), QStringLiteral("-ext"), QStringLiteral("basicConstraints") })
                .contains(QStringLiteral("CA:TRUE")));

    auto again = LocalCertificateAuthority::openOrCreate(where, &error);
    QVERIFY2(again, qPrintable(error));
    QVERIFY(!again->created());
    QCOMPARE(again->certificatePem(), ca->certificatePem());
    QCOMPARE(again->sha256Fingerprint().size(), 32 * 3 - 1);

    const QString exported = dir.filePath(QStringLiteral("exported.pem"));
    QVERIFY(again->exportCertificate(exported, &error));
    QFile file(exported);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray written = file.readAll();
    QCOMPARE(written, ca->certificatePem());
    QVERIFY(!written.contains("PRIVATE KEY"));
}

void tst_LocalCertificateAuthority::keyReadableByOthersRefused()
{
    QTemporaryDir dir;
    QString error;
    QVERIFY(LocalCertificateAuthority::openOrCreate(dir.path(), &error));
    const QString key = dir.filePath(QStringLiteral("ca-key.pem"));
    QVERIFY(QFile::setPermissions(key, QFile::permissions(key) | QFileDevice::ReadOther));
    QVERIFY(!LocalCertificateAuthority::openOrCreate(dir.path(), &error));
    QVERIFY2(error.contains(QStringLiteral("can be read by other users")), qPrintable(error));
}

void tst_LocalCertificateAuthority::hostCertificatesVerify_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("altName");
    QTest::addRow("name") << QStringLiteral("chat.example.org") << QStringLiteral("DNS:chat.example.org");
    QTest::addRow("IPv4") << QStringLiteral("127.0.0.1") << QStringLiteral("IP Address:127.0.0.1");
    QTest::addRow("IPv6") << QStringLiteral("::1") << QStringLiteral("IP Address:0:0:0:0:0:0:0:1");
}

void tst_LocalCertificateAuthority::hostCertificatesVerify()
{
    QFETCH(QString, host);
    QFETCH(QString, altName);
    QTemporaryDir dir;
    QString error;
    auto ca = LocalCertificateAuthority::openOrCreate(dir.path(), &error);
    QVERIFY2(ca, qPrintable(error));
    const auto leaf = ca->certificateFor(host, &error);
    QVERIFY2(leaf, qPrintable(error));
    QCOMPARE(ca->certificateFor(host.toUpper(), &error)->certificate, leaf->certificate); // made once
    QVERIFY(leaf->certificate.expiryDate() < QDateTime::currentDateTimeUtc().addDays(398));
    QFile out(dir.filePath(QStringLiteral("leaf.pem")));
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(leaf->certificate.toPem());
    out.close();
    QCOMPARE(runOpenSsl({ QStringLiteral("verify"), QStringLiteral("-CAfile"), dir.filePath(QStringLiteral("ca.pem")),
                 QStringLiteral("-purpose"), QStringLiteral("sslserver"), out.fileName() }),
        out.fileName() + QStringLiteral(": OK"));
    const QString san = runOpenSsl({ QStringLiteral("x509"), QStringLiteral("-in"), out.fileName(),
        QStringLiteral("-noout"), QStringLiteral("-ext"), QStringLiteral("subjectAltName") });
    QVERIFY2(san.endsWith(altName), qPrintable(san));
}

// A TLS server presenting the certificate made for 127.0.0.1, and a Qt client that trusts the CA
// and nothing else: the handshake completes without a certificate error.
void tst_LocalCertificateAuthority::tlsHandshakeTrustsIt()
{
    QTemporaryDir dir;
    QString error;
    auto ca = LocalCertificateAuthority::openOrCreate(dir.path(), &error);
    QVERIFY2(ca, qPrintable(error));
    const auto leaf = ca->certificateFor(QStringLiteral("127.0.0.1"), &error);
    QVERIFY2(leaf, qPrintable(error));

    // A TLS server presenting the leaf: the socket is a QSslSocket from the first byte.
    struct TlsServer : QTcpServer {
        LocalCertificateAuthority::Leaf leaf;
        std::unique_ptr<QSslSocket> socket;
        void incomingConnection(qintptr descriptor) override
        {
            socket = std::make_unique<QSslSocket>();
            socket->setSocketDescriptor(descriptor);
            socket->setLocalCertificate(leaf.certificate);
            socket->setPrivateKey(leaf.key);
            socket->startServerEncryption();
        }
    } listener;
    listener.leaf = *leaf;
    QVERIFY(listener.listen(QHostAddress::LocalHost, 0));
    QSslSocket client;
    QSslConfiguration config = client.sslConfiguration();
    config.setCaCertificates({ ca->certificate() });
    client.setSslConfiguration(config);
    QSignalSpy errors(&client, &QSslSocket::sslErrors);
    QSignalSpy encrypted(&client, &QSslSocket::encrypted);
    client.connectToHostEncrypted(QStringLiteral("127.0.0.1"), listener.serverPort());
    QVERIFY2(encrypted.wait(10'000), qPrintable(client.errorString()));
    QCOMPARE(errors.size(), 0);
    QCOMPARE(client.peerCertificate(), leaf->certificate);
}

void tst_LocalCertificateAuthority::badHostRefused()
{
    QTemporaryDir dir;
    QString error;
    auto ca = LocalCertificateAuthority::openOrCreate(dir.path(), &error);
    QVERIFY(ca);
    QVERIFY(!ca->certificateFor(QStringLiteral("evil.example/x"), &error));
    QCOMPARE(error, QStringLiteral("\"evil.example/x\" is not a host name"));
    QVERIFY(!ca->certificateFor(QString(), &error));
}

QTEST_GUILESS_MAIN(tst_LocalCertificateAuthority)
#include "tst_localcertificateauthority.moc"
