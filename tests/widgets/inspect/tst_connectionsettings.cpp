// The connection bar's settings (proxy, TLS files, keep-alive, reconnect): the dialog shows them
// and refuses what cannot be used; they are remembered without the proxy's password; every
// connection from the bar carries them; a client certificate that needs a passphrase asks for it
// once a run (again after a wrong one); and a reconnect that waits is shown and stopped by
// Disconnect.

#include "inspect/connectionbar.h"
#include "inspect/connectionsettingsdialog.h"
#include "net/connectionmanager.h"

#include <QComboBox>
#include <QFile>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

namespace {

template <typename T> T *child(const QObject &parent, const char *name)
{
    return parent.findChild<T *>(QString::fromLatin1(name));
}

ConnectionExtras everything()
{
    ConnectionExtras e;
    e.proxySource = ProxySetting::Source::Fixed;
    e.proxyUrl = QStringLiteral("socks5h://127.0.0.1:1080");
    e.proxyUser = QStringLiteral("bob");
    e.proxyPassword = QStringLiteral("p4ssw0rd");
    e.keepAliveSeconds = 15;
    e.pongTimeoutMs = 2500;
    e.reconnect = true;
    e.reconnectPolicy = ReconnectPolicy { 4, 250, 8000 };
    return e;
}

} // namespace

class tst_ConnectionSettings : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void dialogShowsAndReturnsTheSettings();
    void dialogRefuses_data();
    void dialogRefuses();
    void rememberedWithoutThePassword();
    void connectionsCarryThem();
    void passphraseAskedOnceARun();
    void waitingReconnectIsShownAndStopped();

private:
    QString file(const char *name) const { return m_dir.filePath(QLatin1String(name)); }
    QTemporaryDir m_dir;
};

void tst_ConnectionSettings::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // A client certificate in PKCS#12 behind a passphrase, and one in PEM with its key, by Debian's openssl.
    const auto openssl = [this](const QStringList &args) {
        QProcess p;
        p.setWorkingDirectory(m_dir.path());
        p.start(QStringLiteral("openssl"), args);
        return p.waitForFinished(60'000) && p.exitCode() == 0;
    };
    QVERIFY(openssl({ QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"),
                      QStringLiteral("-nodes"), QStringLiteral("-keyout"), QStringLiteral("client.key"), QStringLiteral("-out"),
                      QStringLiteral("client.pem"), QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
                      QStringLiteral("/CN=wsi-window-client") }));
    QVERIFY(openssl({ QStringLiteral("pkcs12"), QStringLiteral("-export"), QStringLiteral("-in"), QStringLiteral("client.pem"),
                      QStringLiteral("-inkey"), QStringLiteral("client.key"), QStringLiteral("-out"), QStringLiteral("client.p12"),
                      QStringLiteral("-passout"), QStringLiteral("pass:open sesame") }));
}

void tst_ConnectionSettings::dialogShowsAndReturnsTheSettings()
{
    ConnectionExtras in = everything();
    in.certFile = file("client.pem");
    in.keyFile = file("client.key");
    in.caFile = file("client.pem"); // any certificate will do as an authority here
    ConnectionSettingsDialog dialog(in, QUrl(QStringLiteral("wss://echo.example/")));
    QCOMPARE(child<QLineEdit>(dialog, "proxyUrl")->text(), in.proxyUrl);
    QVERIFY(child<QLineEdit>(dialog, "proxyUser")->isEnabled());
    QCOMPARE(child<QLineEdit>(dialog, "proxyPassword")->echoMode(), QLineEdit::Password);
    QCOMPARE(dialog.problem(), QString());
    const ConnectionExtras out = dialog.extras();
    QCOMPARE(out.proxySource, in.proxySource);
    QCOMPARE(out.proxyUrl, in.proxyUrl);
    QCOMPARE(out.proxyUser, in.proxyUser);
    QCOMPARE(out.proxyPassword, in.proxyPassword);
    QCOMPARE(out.certFile, in.certFile);
    QCOMPARE(out.keyFile, in.keyFile);
    QCOMPARE(out.caFile, in.caFile);
    QCOMPARE(out.keepAliveSeconds, 15);
    QCOMPARE(out.pongTimeoutMs, 2500);
    QVERIFY(out.reconnect);
    QCOMPARE(out.reconnectPolicy.maxAttempts, 4);
    QCOMPARE(out.reconnectPolicy.firstDelayMs, 250);
    QCOMPARE(out.reconnectPolicy.maxDelayMs, 8000);

    // Off is off: keep-alive unchecked gives 0, the proxy's fields are disabled for the environment.
    child<QGroupBox>(dialog, "keepAlive")->setChecked(false);
    auto *source = child<QComboBox>(dialog, "proxySource");
    source->setCurrentIndex(source->findData(int(ProxySetting::Source::Environment)));
    QCOMPARE(dialog.extras().keepAliveSeconds, 0);
    QVERIFY(!child<QLineEdit>(dialog, "proxyUrl")->isEnabled());
    QVERIFY(!child<QLabel>(dialog, "proxyEnvironment")->isHidden());
    QVERIFY2(child<QLabel>(dialog, "proxyEnvironment")->text().startsWith(QLatin1String("For echo.example: ")),
             qPrintable(child<QLabel>(dialog, "proxyEnvironment")->text()));
}

void tst_ConnectionSettings::dialogRefuses_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("expected");
    QTest::newRow("https proxy") << "proxyUrl" << "https://proxy:443" << "Proxy: \"https://proxy:443\": a proxy reached over TLS";
    QTest::newRow("password in the URL") << "proxyUrl" << "http://u:secret@proxy:3128" << "Proxy: give the password in its own field";
    QTest::newRow("password in the URL, environment chosen") << "proxyUrl" << "ENV http://u:secret@proxy:3128"
                                                             << "Proxy: give the password in its own field";
    QTest::newRow("no such CA file") << "caFile" << "/nonexistent/ca.pem"
                                     << "Certificate authorities: \"/nonexistent/ca.pem\" is not a file that can be read";
    QTest::newRow("a key without its certificate") << "keyFile" << "KEY" << "Private key: give the client certificate too";
}

void tst_ConnectionSettings::dialogRefuses()
{
    QFETCH(QString, field);
    QFETCH(QString, value);
    QFETCH(QString, expected);
    ConnectionSettingsDialog dialog(everything(), QUrl());
    if (value.startsWith(QLatin1String("ENV "))) {
        value = value.mid(4);
        auto *source = child<QComboBox>(dialog, "proxySource");
        source->setCurrentIndex(source->findData(int(ProxySetting::Source::Environment)));
    }
    child<QLineEdit>(dialog, field.toLatin1().constData())->setText(value == QLatin1String("KEY") ? file("client.key") : value);
    dialog.show();
    dialog.accept();
    QVERIFY(dialog.isVisible()); // not accepted
    QVERIFY2(dialog.problem().startsWith(expected), qPrintable(dialog.problem()));
    QCOMPARE(child<QLabel>(dialog, "problem")->text(), dialog.problem());
}

void tst_ConnectionSettings::rememberedWithoutThePassword()
{
    const QString path = file("remembered.ini");
    {
        QSettings settings(path, QSettings::IniFormat);
        ConnectionBar bar(&settings);
        bar.setExtras(everything());
        QCOMPARE(child<QToolButton>(bar, "connectionSettings")->text(), QStringLiteral("&More (3)\u2026"));
        QVERIFY(child<QToolButton>(bar, "connectionSettings")->toolTip().endsWith(QLatin1String("Set: proxy, keep-alive 15 s, reconnect")));
    }
    QFile ini(path);
    QVERIFY(ini.open(QIODevice::ReadOnly));
    const QByteArray text = ini.readAll();
    QVERIFY2(text.contains("socks5h://127.0.0.1:1080") && text.contains("bob"), text.constData());
    QVERIFY2(!text.contains("p4ssw0rd"), text.constData());
    // A password typed into the URL is not kept either, whichever source was chosen.
    {
        QSettings settings(path, QSettings::IniFormat);
        ConnectionBar bar(&settings);
        ConnectionExtras typed;
        typed.proxySource = ProxySetting::Source::Environment;
        typed.proxyUrl = QStringLiteral("http://carol:hunter2@proxy.example:3128");
        bar.setExtras(typed);
    }
    QFile typedIni(path);
    QVERIFY(typedIni.open(QIODevice::ReadOnly));
    const QByteArray typedText = typedIni.readAll();
    QVERIFY2(!typedText.contains("hunter2") && typedText.contains("http://carol@proxy.example:3128"), typedText.constData());
    {
        QSettings settings(path, QSettings::IniFormat);
        ConnectionBar bar(&settings);
        bar.setExtras(everything());
    }
    QSettings settings(path, QSettings::IniFormat);
    ConnectionBar again(&settings);
    QCOMPARE(again.extras().proxyUrl, QStringLiteral("socks5h://127.0.0.1:1080"));
    QCOMPARE(again.extras().proxyPassword, QString());
    QCOMPARE(again.extras().keepAliveSeconds, 15);
    QCOMPARE(again.extras().reconnectPolicy.maxDelayMs, 8000);
}

void tst_ConnectionSettings::connectionsCarryThem()
{
    ConnectionBar bar;
    bar.setExtras(everything());
    child<QComboBox>(bar, "url")->setEditText(QStringLiteral("ws://127.0.0.1:9/"));
    QSignalSpy requested(&bar, &ConnectionBar::connectRequested);
    bar.requestConnect();
    QCOMPARE(requested.size(), 1);
    const auto options = requested.first().first().value<ConnectionOptions>();
    QCOMPARE(options.proxy.source, ProxySetting::Source::Fixed);
    QCOMPARE(options.proxy.fixed.kind, OutgoingProxy::Kind::Socks5);
    QCOMPARE(options.proxy.fixed.user, QStringLiteral("bob"));
    QCOMPARE(options.proxy.fixed.password, QStringLiteral("p4ssw0rd"));
    QCOMPARE(options.keepAliveMs, 15'000);
    QCOMPARE(options.pongTimeoutMs, 2500);
    QVERIFY(options.reconnect);
    QCOMPARE(options.reconnect->maxAttempts, 4);
    QVERIFY(!options.tls.hasClientCertificate());

    // Showing a reconnected session's options does not make the next connection a "reconnect".
    ConnectionOptions shown = options;
    shown.openingNote = QStringLiteral("reconnect, attempt 2 of 4, 500 ms after #1 closed");
    bar.setOptions(shown);
    bar.requestConnect();
    QCOMPARE(requested.size(), 2);
    QCOMPARE(requested.last().first().value<ConnectionOptions>().openingNote, QString());
}

void tst_ConnectionSettings::passphraseAskedOnceARun()
{
    ConnectionBar bar;
    ConnectionExtras extras;
    extras.certFile = file("client.p12");
    bar.setExtras(extras);
    child<QComboBox>(bar, "url")->setEditText(QStringLiteral("wss://127.0.0.1:9/"));
    QStringList answers { QStringLiteral("wrong"), QStringLiteral("open sesame") };
    int asked = 0;
    bar.setPassphrasePrompt([&](const QString &certFile) -> std::optional<QByteArray> {
        ++asked;
        if (certFile != file("client.p12") || answers.isEmpty())
            return std::nullopt;
        return answers.takeFirst().toUtf8();
    });
    QSignalSpy requested(&bar, &ConnectionBar::connectRequested);

    bar.requestConnect(); // a wrong passphrase: not connected, said, forgotten
    QCOMPARE(requested.size(), 0);
    QVERIFY2(child<QLabel>(bar, "problem")->text().startsWith(QLatin1String("Client certificate: ")),
             qPrintable(child<QLabel>(bar, "problem")->text()));
    bar.requestConnect(); // asked again
    QCOMPARE(asked, 2);
    QCOMPARE(requested.size(), 1);
    const auto options = requested.first().first().value<ConnectionOptions>();
    QVERIFY(options.tls.hasClientCertificate());
    QCOMPARE(options.tls.certificate.subjectInfo(QSslCertificate::CommonName).value(0), QStringLiteral("wsi-window-client"));
    bar.requestConnect(); // kept for the run
    QCOMPARE(asked, 2);
    QCOMPARE(requested.size(), 2);

    ConnectionBar cancelled;
    cancelled.setExtras(extras);
    cancelled.setPassphrasePrompt([](const QString &) { return std::nullopt; });
    child<QComboBox>(cancelled, "url")->setEditText(QStringLiteral("wss://127.0.0.1:9/"));
    QSignalSpy none(&cancelled, &ConnectionBar::connectRequested);
    cancelled.requestConnect();
    QCOMPARE(none.size(), 0);
    QVERIFY2(child<QLabel>(cancelled, "problem")->text().contains(QLatin1String("no passphrase was given")),
             qPrintable(child<QLabel>(cancelled, "problem")->text()));
}

void tst_ConnectionSettings::waitingReconnectIsShownAndStopped()
{
    ConnectionManager manager;
    ConnectionOptions options;
    options.url = QUrl(QStringLiteral("ws://127.0.0.1:1/"));
    options.reconnect = ReconnectPolicy { 3, 60'000, 60'000 }; // a long wait: it is still waiting when looked at
    ClientSession *session = manager.open(options);
    QTRY_VERIFY(session->reconnectNote().startsWith(QLatin1String("reconnecting in ")));
    ConnectionBar bar;
    connect(&bar, &ConnectionBar::disconnectRequested, session, &ClientSession::disconnectFromPeer); // as the window does
    bar.setSession(session);
    auto *note = child<QLabel>(bar, "reconnectNote");
    QVERIFY2(note->text().endsWith(QLatin1String(" s (attempt 1 of 3)")), qPrintable(note->text()));
    auto *disconnect = child<QPushButton>(bar, "disconnect");
    QVERIFY(disconnect->isEnabled()); // closed, but Disconnect stops the reconnect
    disconnect->click();
    QCOMPARE(note->text(), QStringLiteral("reconnecting stopped"));
    QVERIFY(!disconnect->isEnabled());
    QCOMPARE(manager.count(), 1);
}

QTEST_MAIN(tst_ConnectionSettings)
#include "tst_connectionsettings.moc"
