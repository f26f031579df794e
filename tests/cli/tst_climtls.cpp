// wsinspector-cli against a wss:// server that requires a client certificate (python3-websockets
// with CERT_REQUIRED): the client's certificate from PEM (key in its own file, or encrypted, or in
// the certificate's file) and from PKCS#12, the server's own CA trusted with --cacert, and each way
// it fails: no client certificate, the CA not trusted, a wrong passphrase, a key that is not the
// certificate's, files that are not what they should be. The same through a CONNECT tunnel of
// Debian's tinyproxy, named "localhost" while the server's certificate is for 127.0.0.1 only: the
// certificate is checked against the server's name, not the proxy's. The certificates are made for
// the test by Debian's openssl.

#include "clirun.h"
#include "peerprocess.h"
#include "proxypeers.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class tst_CliMtls : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void clientCertificate_data();
    void clientCertificate();
    void refused_data();
    void refused();
    void badFiles_data();
    void badFiles();

private:
    QString file(const char *name) const { return m_dir.filePath(QLatin1String(name)); }
    bool openssl(const QStringList &args);
    QString url() const { return QStringLiteral("wss://127.0.0.1:%1/").arg(m_port); }
    QTemporaryDir m_dir;
    PeerProcess m_server;
    quint16 m_port = 0;
    TinyProxy m_proxy;
};

bool tst_CliMtls::openssl(const QStringList &args)
{
    QProcess p;
    p.setWorkingDirectory(m_dir.path());
    p.start(QStringLiteral("openssl"), args);
    if (!p.waitForFinished(60'000) || p.exitCode() != 0) {
        qWarning() << "openssl" << args << p.readAllStandardError();
        return false;
    }
    return true;
}

void tst_CliMtls::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const auto S = [](const char *s) { return QString::fromLatin1(s); };
    QFile ext(file("ip.ext"));
    QVERIFY(ext.open(QIODevice::WriteOnly));
    ext.write("subjectAltName=IP:127.0.0.1\n");
    ext.close();
    // A CA, a server certificate for 127.0.0.1 and a client certificate, both signed by the CA.
    QVERIFY(openssl({ S("req"), S("-x509"), S("-newkey"), S("rsa:2048"), S("-nodes"), S("-keyout"), S("ca.key"), S("-out"), S("ca.pem"),
                      S("-days"), S("2"), S("-subj"), S("/CN=wsi-test-ca") }));
    for (const char *who : { "server", "client" }) {
        const QString w = QLatin1String(who);
        QVERIFY(openssl({ S("req"), S("-newkey"), S("rsa:2048"), S("-nodes"), S("-keyout"), w + S(".key"), S("-out"), w + S(".csr"),
                          S("-subj"), w == S("server") ? S("/CN=127.0.0.1") : S("/CN=wsi-test-client") }));
        QStringList sign { S("x509"), S("-req"), S("-in"), w + S(".csr"), S("-CA"), S("ca.pem"), S("-CAkey"), S("ca.key"),
                           S("-CAcreateserial"), S("-out"), w + S(".pem"), S("-days"), S("2") };
        if (w == S("server"))
            sign << S("-extfile") << S("ip.ext");
        QVERIFY(openssl(sign));
    }
    // The client's key encrypted; certificate and key in one file; PKCS#12; another key.
    QVERIFY(openssl({ S("pkcs8"), S("-topk8"), S("-in"), S("client.key"), S("-out"), S("client-enc.key"), S("-passout"), S("pass:s3cret") }));
    QVERIFY(openssl({ S("pkcs12"), S("-export"), S("-in"), S("client.pem"), S("-inkey"), S("client.key"), S("-out"), S("client.p12"),
                      S("-passout"), S("pass:s3cret") }));
    QVERIFY(openssl({ S("genrsa"), S("-out"), S("other.key"), S("2048") }));
    QFile both(file("client-both.pem"));
    QVERIFY(both.open(QIODevice::WriteOnly));
    for (const char *part : { "client.pem", "client.key" }) {
        QFile f(file(part));
        QVERIFY(f.open(QIODevice::ReadOnly));
        both.write(f.readAll());
    }
    both.close();

    QVERIFY(m_server.start(PeerProcess::Runtime::Python, QStringLiteral("cli/peers/py_mtls_server.py"),
                           { file("server.pem"), file("server.key"), file("ca.pem") }));
    m_port = m_server.waitForPort();
    QVERIFY2(m_port != 0, "the python3-websockets mTLS server did not start");
    QVERIFY(m_proxy.start("alice", "s3cret"));
}

void tst_CliMtls::clientCertificate_data()
{
    QTest::addColumn<QStringList>("tlsArgs");
    QTest::newRow("PEM, key apart") << QStringList { QStringLiteral("--cert"), file("client.pem"), QStringLiteral("--key"), file("client.key") };
    QTest::newRow("PEM, key encrypted") << QStringList { QStringLiteral("--cert"), file("client.pem"), QStringLiteral("--key"), file("client-enc.key"),
                                                         QStringLiteral("--cert-pass"), QStringLiteral("s3cret") };
    QTest::newRow("PEM, key in the same file") << QStringList { QStringLiteral("--cert"), file("client-both.pem") };
    QTest::newRow("PKCS#12") << QStringList { QStringLiteral("--cert"), file("client.p12"), QStringLiteral("--cert-pass"), QStringLiteral("s3cret") };
    QTest::newRow("through an HTTP proxy")
        << QStringList { QStringLiteral("--cert"), file("client-both.pem"), QStringLiteral("--via-proxy"),
                         QStringLiteral("http://alice:s3cret@localhost:%1").arg(m_proxy.port()) };
}

void tst_CliMtls::clientCertificate()
{
    QFETCH(QStringList, tlsArgs);
    const CliRun run = runCli(QStringList { url(), QStringLiteral("--format"), QStringLiteral("jsonl"), QStringLiteral("--cacert"), file("ca.pem"),
                                            QStringLiteral("--send"), QStringLiteral("ping me back"), QStringLiteral("--wait"), QStringLiteral("500"),
                                            QStringLiteral("--close"), QStringLiteral("1000"),
                                            // Python's TLS waits for our close_notify before it ends TCP, and the
                                            // client waits for the server to end TCP first (RFC 6455 7.1.1): 5 s.
                                            QStringLiteral("--close-timeout"), QStringLiteral("300") }
                              + tlsArgs);
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QStringList texts; // python3-websockets compresses: a message's text is then its "inflated"
    for (const QJsonObject &frame : run.frames("in"))
        texts << frame.value(frame.contains(QLatin1String("inflated")) ? QLatin1String("inflated") : QLatin1String("text")).toString();
    // The server read the certificate's name off the TLS session.
    QCOMPARE(texts.mid(0, 2), QStringList({ QStringLiteral("client wsi-test-client"), QStringLiteral("ping me back") }));
    const QString tls = run.last("tls").value(QStringLiteral("message")).toString();
    QVERIFY2(tls.contains(QLatin1String("client certificate offered: wsi-test-client (issuer: wsi-test-ca)")), qPrintable(tls));
    if (tlsArgs.contains(QLatin1String("--via-proxy")))
        QVERIFY2(m_proxy.tunnelled("127.0.0.1:" + QByteArray::number(m_port)), m_proxy.log().constData());
}

void tst_CliMtls::refused_data()
{
    QTest::addColumn<QStringList>("tlsArgs");
    QTest::addColumn<QString>("said");
    QTest::newRow("no client certificate") << QStringList { QStringLiteral("--cacert"), file("ca.pem") } << "connection failed: ";
    QTest::newRow("the server's CA not trusted") << QStringList { QStringLiteral("--cert"), file("client-both.pem") } << "TLS certificate rejected";
}

void tst_CliMtls::refused()
{
    QFETCH(QStringList, tlsArgs);
    QFETCH(QString, said);
    const CliRun run = runCli(QStringList { url(), QStringLiteral("--format"), QStringLiteral("jsonl") } + tlsArgs);
    QVERIFY2(run.exitCode == 1 || run.exitCode == 3, qPrintable(run.describe()));
    QVERIFY2(run.frames("in").isEmpty(), qPrintable(run.describe()));
    QVERIFY2(run.err.contains(said.toUtf8()), qPrintable(run.describe()));
}

void tst_CliMtls::badFiles_data()
{
    QTest::addColumn<QStringList>("tlsArgs");
    QTest::addColumn<QString>("said");
    QTest::newRow("CA file without a certificate") << QStringList { QStringLiteral("--cacert"), file("client.key") } << "holds no certificate";
    QTest::newRow("missing CA file") << QStringList { QStringLiteral("--cacert"), file("none.pem") } << "cannot read";
    QTest::newRow("no key") << QStringList { QStringLiteral("--cert"), file("client.pem") } << "holds no private key: give its key file too";
    QTest::newRow("key of another") << QStringList { QStringLiteral("--cert"), file("client.pem"), QStringLiteral("--key"), file("other.key") }
                                    << "is not the key of the certificate";
    QTest::newRow("encrypted key, no passphrase") << QStringList { QStringLiteral("--cert"), file("client.pem"), QStringLiteral("--key"), file("client-enc.key") }
                                                  << "is encrypted, and no passphrase was given";
    QTest::newRow("encrypted key, wrong passphrase") << QStringList { QStringLiteral("--cert"), file("client.pem"), QStringLiteral("--key"), file("client-enc.key"),
                                                                      QStringLiteral("--cert-pass"), QStringLiteral("nope") }
                                                     << "this passphrase does not open it";
    QTest::newRow("PKCS#12, wrong passphrase") << QStringList { QStringLiteral("--cert"), file("client.p12"), QStringLiteral("--cert-pass"), QStringLiteral("nope") }
                                               << "neither PEM nor a PKCS#12 file that this passphrase opens";
    QTest::newRow("key without cert") << QStringList { QStringLiteral("--key"), file("client.key") } << "--key applies to --cert";
}

void tst_CliMtls::badFiles()
{
    QFETCH(QStringList, tlsArgs);
    QFETCH(QString, said);
    const CliRun run = runCli(QStringList { url() } + tlsArgs);
    QVERIFY2(run.exitCode == 2, qPrintable(run.describe()));
    QVERIFY2(run.err.contains(said.toUtf8()), qPrintable(run.describe()));
}

QTEST_GUILESS_MAIN(tst_CliMtls)
#include "tst_climtls.moc"
