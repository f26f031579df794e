// A client's TLS settings: certificate authorities given by the user are trusted besides the
// system's, never instead of them (Qt's default list is empty while it loads the system's on
// demand, and adding to it would leave them out), and the client certificate goes with its key.

#include "net/clienttls.h"

#include <QTest>

class tst_ClientTls : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void extraAuthoritiesKeepTheSystems();
    void nothingGivenIsQtsDefault();
};

void tst_ClientTls::extraAuthoritiesKeepTheSystems()
{
    const QList<QSslCertificate> system = QSslConfiguration::systemCaCertificates();
    QVERIFY2(!system.isEmpty(), "no system certificate authorities (Debian's ca-certificates)");
    ClientTls tls;
    tls.extraCaCertificates << system.first(); // any certificate will do for the list's arithmetic
    const QList<QSslCertificate> trusted = tls.configuration().caCertificates();
    QCOMPARE(trusted.size(), system.size() + 1);
    QVERIFY(trusted.contains(system.last()));
}

void tst_ClientTls::nothingGivenIsQtsDefault()
{
    const ClientTls tls;
    QCOMPARE(tls.configuration().caCertificates(), QSslConfiguration::defaultConfiguration().caCertificates());
    QVERIFY(tls.configuration().localCertificate().isNull());
}

QTEST_GUILESS_MAIN(tst_ClientTls)
#include "tst_clienttls.moc"
