// The Intercept pane on a real relayed connection: an application (the inspector's own client)
// through an intercepting relay to the embedded server, which echoes. What the user does in the
// pane is what reaches the server and comes back.

#include "send/interceptpane.h"

#include "captureevents.h"
#include "intercept/heldmessagesmodel.h"
#include "net/connectionmanager.h"
#include "net/embeddedserver.h"
#include "net/relayserver.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableView>
#include <QTest>

namespace {
template <typename T> T *child(const QWidget &parent, const char *name)
{
    return parent.findChild<T *>(QString::fromLatin1(name));
}
} // namespace

class tst_InterceptPane : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void holdEditForwardDropInject();
    void explainsWhenItCannot();
};

void tst_InterceptPane::holdEditForwardDropInject()
{
    EmbeddedServer server;
    QVERIFY(server.start());
    ConnectionManager manager;
    RelayOptions options;
    options.to = server.url();
    options.interceptable = true;
    QString error;
    RelayServer *relay = manager.startRelay(options, QHostAddress(QHostAddress::LocalHost), 0, &error);
    QVERIFY2(relay, qPrintable(error));
    ConnectionOptions appOptions;
    appOptions.url = relay->url();
    ClientSession *app = manager.open(appOptions);
    QTRY_COMPARE(manager.rowCount(), 2);
    ClientSession *relayed = manager.session(1);
    QTRY_COMPARE(relayed->readyState(), ReadyState::Open);

    InterceptPane pane;
    pane.resize(600, 500);
    pane.show();
    pane.setSession(relayed);
    auto *toServer = child<QCheckBox>(pane, "interceptToServer");
    QVERIFY(toServer->isEnabled());
    QTest::mouseClick(toServer, Qt::LeftButton);
    QVERIFY(toServer->isChecked());
    // The switch crosses to the relays' thread; a ping's round trip through the relay follows it.
    QVERIFY(app->ping("sync"));
    QTRY_VERIFY(!framesIn(*app->capture(), 0xA).isEmpty());

    QVERIFY(app->sendText("hello"));
    QTRY_COMPARE(pane.heldView()->model()->rowCount(), 1);
    QTRY_COMPARE(pane.editor()->toPlainText(), QStringLiteral("hello"));
    pane.editor()->selectAll();
    QTest::keyClicks(pane.editor(), QStringLiteral("HELLO"));
    QTest::mouseClick(child<QPushButton>(pane, "forwardHeld"), Qt::LeftButton);
    QTRY_COMPARE(messagesIn(*app->capture()), QList<QByteArray> { "HELLO" });
    QTRY_COMPARE(pane.heldView()->model()->rowCount(), 0);

    // JSON: indented to read, members in their order; forwarded compact; a broken edit is refused.
    auto *editAs = child<QComboBox>(pane, "heldEditAs");
    editAs->setCurrentIndex(editAs->findText(QStringLiteral("JSON")));
    QVERIFY(app->sendText(R"({"b":1,"a":[1, 2]})"));
    QTRY_COMPARE(pane.heldView()->model()->rowCount(), 1);
    QTRY_COMPARE(pane.editor()->toPlainText(), QStringLiteral("{\n    \"b\": 1,\n    \"a\": [\n        1,\n        2\n    ]\n}"));
    pane.editor()->setPlainText(QStringLiteral("{\"b\": 2, \"a\": [1, 2],}"));
    QTest::mouseClick(child<QPushButton>(pane, "forwardHeld"), Qt::LeftButton);
    QVERIFY2(child<QLabel>(pane, "interceptStatus")->text().startsWith(QStringLiteral("Not forwarded: JSON error")),
        qPrintable(child<QLabel>(pane, "interceptStatus")->text()));
    QCOMPARE(pane.heldView()->model()->rowCount(), 1);
    pane.editor()->setPlainText(QStringLiteral("{\n  \"b\": 2,\n  \"a\": [1, 2]\n}"));
    QTest::mouseClick(child<QPushButton>(pane, "forwardHeld"), Qt::LeftButton);
    QTRY_COMPARE(messagesIn(*app->capture()), (QList<QByteArray> { "HELLO", R"({"b":2,"a":[1,2]})" }));
    QTRY_COMPARE(pane.heldView()->model()->rowCount(), 0);

    QVERIFY(app->sendText("never"));
    QTRY_COMPARE(pane.heldView()->model()->rowCount(), 1);
    QTest::mouseClick(child<QPushButton>(pane, "dropHeld"), Qt::LeftButton);
    QTRY_COMPARE(pane.heldView()->model()->rowCount(), 0);

    auto *toward = child<QComboBox>(pane, "injectToward");
    toward->setCurrentIndex(toward->findData(int(Leg::App)));
    QTest::keyClicks(child<QLineEdit>(pane, "injectText"), QStringLiteral("from the pane"));
    QTest::mouseClick(child<QPushButton>(pane, "inject"), Qt::LeftButton);
    QTRY_COMPARE(messagesIn(*app->capture()), (QList<QByteArray> { "HELLO", R"({"b":2,"a":[1,2]})", "from the pane" }));
    // "never" was dropped: the echo of it never came.
    QCOMPARE(messagesIn(*app->capture()).count("never"), 0);
}

void tst_InterceptPane::explainsWhenItCannot()
{
    InterceptPane pane;
    pane.setSession(nullptr);
    QVERIFY(!child<QCheckBox>(pane, "interceptToServer")->isEnabled());
    QVERIFY(child<QLabel>(pane, "interceptStatus")->text().contains(QLatin1String("relayed connection")));
}

QTEST_MAIN(tst_InterceptPane)
#include "tst_interceptpane.moc"
