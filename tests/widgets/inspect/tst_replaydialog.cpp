// Connection → Replay Session…: a conversation recorded in a window session and saved is opened
// in the dialog, replayed through a new session against the embedded server, and its rows say
// how the server's answers compare: all the same against the same server, missing ones against a
// server that closes after answering the first message; a file that cannot be read is said.

#include "inspect/replaydialog.h"
#include "log/capturefiles.h"
#include "net/connectionmanager.h"
#include "net/embeddedserver.h"

#include <QComboBox>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

class tst_ReplayDialog : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void replayedAsRecorded();
    void serverClosesEarly();
    void unreadableRecording();

private:
    // Opens the recording, replays it against `server`, waits for the result.
    void replay(EmbeddedServer &server, ReplayDialog &dialog);
    QTemporaryDir m_dir;
    QString m_recording;
};

void tst_ReplayDialog::initTestCase()
{
    QVERIFY(m_dir.isValid());
    EmbeddedServer server;
    QVERIFY(server.start());
    ConnectionManager manager;
    ConnectionOptions options;
    options.url = server.url();
    options.url.setPath(QStringLiteral("/chat"));
    ClientSession *session = manager.open(options);
    QTRY_COMPARE(session->readyState(), ReadyState::Open);
    session->sendText("first");
    session->sendBinary(QByteArray("\x01\x02", 2));
    session->sendText("third");
    QTRY_COMPARE(session->stats().in.messages, 3u);
    session->close(1000);
    QTRY_COMPARE(session->readyState(), ReadyState::Closed);
    m_recording = m_dir.filePath(QStringLiteral("recorded.jsonl"));
    QString error;
    QVERIFY2(CaptureFiles::save(m_recording, *session->capture(), {}, &error), qPrintable(error));
}

void tst_ReplayDialog::replay(EmbeddedServer &server, ReplayDialog &dialog)
{
    ConnectionManager *manager = new ConnectionManager(&dialog);
    connect(&dialog, &ReplayDialog::replayRequested, &dialog, [&dialog, manager](const QUrl &url, const QStringList &subprotocols) {
        ConnectionOptions options;
        options.url = url;
        options.subprotocols = subprotocols;
        dialog.follow(manager->open(options));
    });
    QVERIFY(dialog.setRecording(m_recording));
    auto *conversation = dialog.findChild<QComboBox *>(QStringLiteral("connection"));
    QCOMPARE(conversation->count(), 1);
    QCOMPARE(conversation->itemText(0), QStringLiteral("#1 /chat: 3 message(s) sent"));
    dialog.setTarget(server.url());
    QSignalSpy done(&dialog, &ReplayDialog::replayFinished);
    dialog.findChild<QPushButton *>(QStringLiteral("replay"))->click();
    QVERIFY(done.wait(15'000));
}

void tst_ReplayDialog::replayedAsRecorded()
{
    EmbeddedServer server;
    QVERIFY(server.start());
    ReplayDialog dialog;
    dialog.show();
    replay(server, dialog);
    auto *rows = dialog.findChild<QTableWidget *>(QStringLiteral("rows"));
    QCOMPARE(rows->rowCount(), 3);
    QStringList seen;
    for (int r = 0; r < rows->rowCount(); ++r)
        seen << rows->item(r, 0)->text() + QLatin1Char(' ') + rows->item(r, 2)->text();
    QCOMPARE(seen, QStringList({ QStringLiteral("same \"first\""), QStringLiteral("same binary 01 02"), QStringLiteral("same \"third\"") }));
    QCOMPARE(dialog.statusText(),
             QStringLiteral("The server's answers: 3 the same, 0 different, 0 missing, 0 extra. The server answered as recorded."));
}

void tst_ReplayDialog::serverClosesEarly()
{
    EmbeddedServer server;
    ServerBehaviour behaviour;
    behaviour.closeAfterMessages = 1;
    QVERIFY(server.setBehaviour(behaviour));
    QVERIFY(server.start());
    ReplayDialog dialog;
    dialog.show();
    replay(server, dialog);
    auto *rows = dialog.findChild<QTableWidget *>(QStringLiteral("rows"));
    QCOMPARE(rows->rowCount(), 3);
    QCOMPARE(rows->item(0, 0)->text(), QStringLiteral("same"));
    QCOMPARE(rows->item(1, 0)->text(), QStringLiteral("missing"));
    QCOMPARE(rows->item(2, 0)->text(), QStringLiteral("missing"));
    QVERIFY2(dialog.statusText().endsWith(QLatin1String("1 the same, 0 different, 2 missing, 0 extra.")), qPrintable(dialog.statusText()));
}

void tst_ReplayDialog::unreadableRecording()
{
    ReplayDialog dialog;
    QVERIFY(!dialog.setRecording(m_dir.filePath(QStringLiteral("none.jsonl"))));
    QVERIFY2(dialog.statusText().startsWith(QLatin1String("Nothing could be read from ")), qPrintable(dialog.statusText()));
    QSignalSpy requested(&dialog, &ReplayDialog::replayRequested);
    dialog.findChild<QPushButton *>(QStringLiteral("replay"))->click();
    QCOMPARE(requested.size(), 0);
    QCOMPARE(dialog.statusText(), QStringLiteral("The recording holds no conversation"));
}

QTEST_MAIN(tst_ReplayDialog)
#include "tst_replaydialog.moc"
