#include "teach/learnpanel.h"

#include "log/capture.h"
#include "log/protocoldecoding.h"
#include "teach/protocolexamples.h"
#include "teach/protocolnotes.h"

#include "messagerecorder.h"

#include <QDir>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QScrollArea>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>
#include <QToolButton>

namespace {

QString itemTopic(const QListWidgetItem *item)
{
    return item ? item->data(Qt::UserRole).toString() : QString();
}

QListWidgetItem *itemFor(const QListWidget *list, const QString &id)
{
    for (int row = 0; row < list->count(); ++row) {
        if (itemTopic(list->item(row)) == id)
            return list->item(row);
    }
    return nullptr;
}

// The glossary's topics with the protocol notes where the panel puts them: the overview and the
// glossary's "Socket.IO is not plain WebSocket" open the last group, the protocols follow.
QStringList expectedTopics()
{
    QStringList topics;
    for (const QString &id : Glossary::topicIds()) {
        if (id == QString(Glossary::SocketIo)) {
            topics << QString(ProtocolNotes::Overview) << id;
            topics << ProtocolNotes::noteIds().mid(1);
        } else {
            topics << id;
        }
    }
    return topics;
}

const QByteArray socketIoRequest = "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\n\r\n";
const QByteArray response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n";

// A Socket.IO conversation: seven kinds of packet, so that the default six are shown.
struct Session {
    Capture capture;
    ProtocolDecoding decoding;
    QList<qsizetype> firstOfEachType;

    Session()
    {
        MessageRecorder r(capture);
        r.handshake(socketIoRequest, response);
        firstOfEachType << r.text(Direction::Incoming,
            R"(0{"sid":"abc","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000})");
        firstOfEachType << r.text(Direction::Outgoing, "40");
        r.text(Direction::Incoming, R"(40{"sid":"s1"})");
        firstOfEachType << r.text(Direction::Outgoing,
            R"(42["chat message","a long argument without any space in it: 0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz"])");
        firstOfEachType << r.text(Direction::Incoming, "2");
        firstOfEachType << r.text(Direction::Outgoing, "3");
        r.text(Direction::Outgoing, R"(421["ping with ack",1])");
        firstOfEachType << r.text(Direction::Incoming, R"(431["pong"])");
        firstOfEachType << r.text(Direction::Outgoing, R"(451-["upload",{"_placeholder":true,"num":0}])");
        decoding.setCapture(&capture);
        decoding.flushPending();
    }
};

QList<QToolButton *> jumpButtons(const LearnPanel &panel)
{
    QList<QToolButton *> buttons;
    const QList<QToolButton *> all = panel.findChildren<QToolButton *>(QStringLiteral("exampleJump"));
    for (QToolButton *button : all)
        if (button->isVisibleTo(&panel))
            buttons << button;
    return buttons;
}

// Cards replaced by newer ones are deleted later: only the shown ones count.
QList<QWidget *> shownChildren(const LearnPanel &panel, const QString &name)
{
    QList<QWidget *> shown;
    const QList<QWidget *> all = panel.findChildren<QWidget *>(name);
    for (QWidget *widget : all)
        if (widget->isVisibleTo(&panel))
            shown << widget;
    return shown;
}

QStringList shownRawTexts(const LearnPanel &panel)
{
    QStringList texts;
    for (const QWidget *raw : shownChildren(panel, QStringLiteral("exampleRaw")))
        texts << raw->property("plainText").toString();
    return texts;
}

QPushButton *readActiveButton(const LearnPanel &panel)
{
    return panel.findChild<QPushButton *>(QStringLiteral("readActiveProtocol"));
}

} // namespace

class tst_LearnPanel : public QObject {
    Q_OBJECT

private slots:
    void startsWithTheBrowserEvents();
    void listHoldsEveryTopicUnderHeadings();
    void setTopic_data();
    void setTopic();
    void readyStateReadsAsAList();
    void anyCloseCode_data();
    void anyCloseCode();
    void unknownTopic();
    void listAndCodeBoxDriveIt();
    void plainText();
    void protocolNotes_data();
    void protocolNotes();
    void examplesOfTheConnection();
    void examplesFollowTheConnection();
    void noteOfAnotherProtocol();
    void overviewSaysWhatTheConnectionSpeaks();
    void withoutAConnection();
    void decodingGoesAway();
};

void tst_LearnPanel::startsWithTheBrowserEvents()
{
    LearnPanel panel;
    QCOMPARE(panel.currentTopic(), QString(Glossary::Events));
    QCOMPARE(panel.titleText(), Glossary::entry(Glossary::Events).title);
    QCOMPARE(itemTopic(panel.topicList()->currentItem()), QString(Glossary::Events));
}

void tst_LearnPanel::listHoldsEveryTopicUnderHeadings()
{
    LearnPanel panel;
    const QListWidget *list = panel.topicList();
    QStringList topics;
    QStringList headings;
    for (int row = 0; row < list->count(); ++row) {
        const QListWidgetItem *item = list->item(row);
        if (itemTopic(item).isEmpty()) {
            headings.append(item->text());
            QVERIFY(!(item->flags() & Qt::ItemIsSelectable));
        } else {
            topics.append(itemTopic(item));
            const QString title = Glossary::entry(itemTopic(item)).isValid()
                ? Glossary::entry(itemTopic(item)).title
                : ProtocolNotes::note(itemTopic(item)).title;
            QCOMPARE(item->text().trimmed(), title);
        }
    }
    QCOMPARE(topics, expectedTopics());
    QCOMPARE(headings,
        QStringList({ QStringLiteral("The browser API"), QStringLiteral("Closing: codes and wasClean"),
            QStringLiteral("The opening handshake"), QStringLiteral("Frames on the wire"),
            QStringLiteral("Protocols on top of WebSocket") }));
    QCOMPARE(list->item(0)->text(), QStringLiteral("The browser API"));
}

void tst_LearnPanel::setTopic_data()
{
    QTest::addColumn<QString>("id");
    for (const QString &id : Glossary::topicIds())
        QTest::addRow("%s", qPrintable(id)) << id;
}

void tst_LearnPanel::setTopic()
{
    QFETCH(QString, id);
    LearnPanel panel;
    if (id == QString(Glossary::Events))
        panel.setTopic(Glossary::ReadyState); // so that the row below is a change
    QSignalSpy changed(&panel, &LearnPanel::topicChanged);

    QVERIFY(panel.setTopic(id));
    const GlossaryEntry e = Glossary::entry(id);
    QCOMPARE(panel.currentTopic(), id);
    QCOMPARE(panel.titleText(), e.title);
    QCOMPARE(QString(panel.bodyText()).replace(QLatin1Char('\n'), QLatin1Char(' ')), e.text);
    QCOMPARE(panel.referenceText(), e.rfc);
    QCOMPARE(panel.browserText(), e.inBrowser);
    QCOMPARE(panel.browserCaption(), QStringLiteral("In the browser"));
    QVERIFY(!panel.isProtocolNote());
    QVERIFY(panel.examplesText().isEmpty());
    QCOMPARE(panel.exampleCount(), 0);
    QCOMPARE(itemTopic(panel.topicList()->currentItem()), id);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.first().first().toString(), id);

    QVERIFY(panel.setTopic(id)); // already shown: no second signal
    QCOMPARE(changed.size(), 1);
}

void tst_LearnPanel::readyStateReadsAsAList()
{
    LearnPanel panel;
    panel.setTopic(Glossary::ReadyState);
    const QStringList lines = panel.bodyText().split(QLatin1Char('\n'));
    QCOMPARE(lines.size(), 5);
    QVERIFY(lines[1].startsWith(QStringLiteral("0 CONNECTING: ")));
    QVERIFY(lines[2].startsWith(QStringLiteral("1 OPEN: ")));
    QVERIFY(lines[3].startsWith(QStringLiteral("2 CLOSING: ")));
    QVERIFY(lines[4].startsWith(QStringLiteral("3 CLOSED: ")));
    // Other topics keep their paragraph.
    panel.setTopic(Glossary::BufferedAmount);
    QVERIFY(!panel.bodyText().contains(QLatin1Char('\n')));
}

void tst_LearnPanel::anyCloseCode_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<bool>("listed");
    QTest::addColumn<QString>("title");
    QTest::addRow("1006, listed") << 1006 << true << QStringLiteral("1006 Abnormal Closure");
    QTest::addRow("1008") << 1008 << false << QStringLiteral("1008 Policy Violation");
    QTest::addRow("1013") << 1013 << false << QStringLiteral("1013 Try Again Later");
    QTest::addRow("4000") << 4000 << false << QStringLiteral("4000 Private use");
    QTest::addRow("0") << 0 << false << QStringLiteral("0 Unused");
}

void tst_LearnPanel::anyCloseCode()
{
    QFETCH(int, code);
    QFETCH(bool, listed);
    QFETCH(QString, title);
    LearnPanel panel;
    const QString id = Glossary::closeCodeTopic(quint16(code));
    QVERIFY(panel.setTopic(id));
    QCOMPARE(panel.currentTopic(), id);
    QCOMPARE(panel.titleText(), title);
    QCOMPARE(panel.closeCodeBox()->value(), code);
    QCOMPARE(panel.topicList()->currentItem() != nullptr, listed);
    if (listed)
        QCOMPARE(itemTopic(panel.topicList()->currentItem()), id);
    else
        QVERIFY(panel.topicList()->selectedItems().isEmpty());
}

void tst_LearnPanel::unknownTopic()
{
    LearnPanel panel;
    panel.setTopic(Glossary::Masking);
    QSignalSpy changed(&panel, &LearnPanel::topicChanged);
    QVERIFY(!panel.setTopic(QStringLiteral("no-such-topic")));
    QVERIFY(!panel.setTopic(QStringLiteral("close-70000")));
    QCOMPARE(panel.currentTopic(), QString(Glossary::Masking));
    QCOMPARE(panel.titleText(), Glossary::entry(Glossary::Masking).title);
    QCOMPARE(changed.size(), 0);
}

void tst_LearnPanel::listAndCodeBoxDriveIt()
{
    LearnPanel panel;
    QSignalSpy changed(&panel, &LearnPanel::topicChanged);
    panel.topicList()->setCurrentItem(itemFor(panel.topicList(), QString(Glossary::Subprotocols)));
    QCOMPARE(panel.currentTopic(), QString(Glossary::Subprotocols));
    QVERIFY(panel.bodyText().contains(QStringLiteral("STOMP")));

    panel.closeCodeBox()->setValue(1009);
    QCOMPARE(panel.currentTopic(), QStringLiteral("close-1009"));
    QCOMPARE(itemTopic(panel.topicList()->currentItem()), QStringLiteral("close-1009"));
    panel.closeCodeBox()->setValue(3001);
    QCOMPARE(panel.titleText(), QStringLiteral("3001 Registered by a library or framework"));
    QCOMPARE(changed.size(), 3);

    // Picking a listed code in the list puts it in the box too.
    panel.topicList()->setCurrentItem(itemFor(panel.topicList(), QStringLiteral("close-1011")));
    QCOMPARE(panel.closeCodeBox()->value(), 1011);
    QCOMPARE(changed.size(), 4);
}

void tst_LearnPanel::plainText()
{
    LearnPanel panel;
    for (const char *name : { "topicTitle", "topicReference", "topicBody", "topicBrowser" }) {
        const auto *label = panel.findChild<QLabel *>(QString::fromLatin1(name));
        QVERIFY2(label, name);
        QCOMPARE(label->textFormat(), Qt::PlainText);
        QVERIFY(label->wordWrap());
    }
}

void tst_LearnPanel::protocolNotes_data()
{
    QTest::addColumn<QString>("id");
    for (const QString &id : ProtocolNotes::noteIds())
        QTest::addRow("%s", qPrintable(id)) << id;
}

void tst_LearnPanel::protocolNotes()
{
    QFETCH(QString, id);
    LearnPanel panel;
    QSignalSpy changed(&panel, &LearnPanel::topicChanged);
    QVERIFY(panel.setTopic(id));
    const ProtocolNote n = ProtocolNotes::note(id);
    QCOMPARE(panel.currentTopic(), id);
    QVERIFY(panel.isProtocolNote());
    QCOMPARE(panel.titleText(), n.title);
    QCOMPARE(panel.bodyText(), n.paragraphs.join(QStringLiteral("\n\n")));
    QCOMPARE(panel.referenceText(), n.reference);
    QCOMPARE(panel.browserText(), n.inCode);
    QCOMPARE(panel.browserCaption(), QStringLiteral("In code"));
    QCOMPARE(itemTopic(panel.topicList()->currentItem()), id);
    QCOMPARE(changed.size(), 1);
    // Without a connection, the note says where examples would come from.
    QVERIFY(!panel.examplesText().isEmpty());
    QCOMPARE(panel.exampleCount(), 0);

    // Back to a glossary topic: its caption, and no examples.
    panel.setTopic(Glossary::Subprotocols);
    QVERIFY(!panel.isProtocolNote());
    QCOMPARE(panel.browserCaption(), QStringLiteral("In the browser"));
    QVERIFY(panel.examplesText().isEmpty());
}

void tst_LearnPanel::examplesOfTheConnection()
{
    Session session;
    LearnPanel panel;
    panel.resize(380, 700);
    panel.setDecoding(&session.decoding);
    QCOMPARE(panel.examples()->decoding(), &session.decoding);
    QCOMPARE(panel.exampleCount(), 0); // a glossary topic is shown

    QVERIFY(panel.setTopic(ProtocolNotes::SocketIo));
    const ProtocolExamples *model = panel.examples();
    QCOMPARE(model->rowCount(), int(ProtocolExamples::DefaultMaxExamples));
    QCOMPARE(panel.exampleCount(), model->rowCount());
    QVERIFY2(panel.examplesText().contains(QStringLiteral("Socket.IO")), qPrintable(panel.examplesText()));
    QVERIFY(!readActiveButton(panel)->isVisibleTo(&panel)); // this is the connection's protocol

    // Each card: the message as sent (display rule), and a way to it in the log.
    QStringList raws;
    for (int row = 0; row < model->rowCount(); ++row)
        raws << model->example(row).raw;
    QCOMPARE(shownRawTexts(panel), raws);
    const QList<QToolButton *> jumps = jumpButtons(panel);
    QCOMPARE(jumps.size(), model->rowCount());
    QSignalSpy requested(&panel, &LearnPanel::eventRequested);
    for (int row = 0; row < jumps.size(); ++row) {
        jumps[row]->click();
        QCOMPARE(requested.size(), row + 1);
        QCOMPARE(requested.last().first().value<qsizetype>(), session.firstOfEachType[row]);
    }
    // Every label of a card is plain text, and the kinds are the examples'.
    QStringList kinds;
    for (const QLabel *label : panel.findChild<QWidget *>(QStringLiteral("examples"))->findChildren<QLabel *>()) {
        if (!label->isVisibleTo(&panel))
            continue;
        QCOMPARE(label->textFormat(), Qt::PlainText);
        if (label->objectName() == QLatin1String("exampleKind"))
            kinds << label->text();
    }
    QCOMPARE(kinds,
        QStringList({ QStringLiteral("open"), QStringLiteral("connect"), QStringLiteral("event"),
            QStringLiteral("ping"), QStringLiteral("pong"), QStringLiteral("ack") }));

    // A long argument without spaces wraps inside a narrow dock rather than widening the page.
    const auto *page = panel.findChild<QWidget *>(QStringLiteral("topicText"));
    QVERIFY2(page->minimumSizeHint().width() < 300, qPrintable(QString::number(page->minimumSizeHint().width())));
    const QWidget *longRaw = shownChildren(panel, QStringLiteral("exampleRaw")).at(2);
    QVERIFY(longRaw->property("plainText").toString().size() > 100);
    QVERIFY(longRaw->heightForWidth(250) > 2 * longRaw->fontMetrics().lineSpacing());

    if (const QByteArray dir = qgetenv("WSI_GRAB_DIR"); !dir.isEmpty()) {
        panel.show();
        auto *scroll = panel.findChild<QScrollArea *>();
        scroll->ensureWidgetVisible(jumps.first(), 0, 200);
        QVERIFY(panel.grab().save(QDir(QString::fromLocal8Bit(dir)).filePath(QStringLiteral("learn-socketio.png"))));
    }
}

void tst_LearnPanel::examplesFollowTheConnection()
{
    Capture capture;
    MessageRecorder r(capture);
    ProtocolDecoding decoding;
    decoding.setCapture(&capture);
    LearnPanel panel;
    panel.setTopic(ProtocolNotes::SocketIo);
    panel.setDecoding(&decoding);
    QCOMPARE(panel.exampleCount(), 0);
    QVERIFY2(panel.examplesText().contains(QStringLiteral("Decode button")), qPrintable(panel.examplesText()));

    r.handshake(socketIoRequest, response);
    QTRY_VERIFY(panel.examplesText().contains(QStringLiteral("No Socket.IO message")));
    const qsizetype event = r.text(Direction::Incoming, R"(42["news",1])");
    QTRY_COMPARE(panel.exampleCount(), 1);
    r.text(Direction::Incoming, R"(42["news",2])");
    const qsizetype ping = r.text(Direction::Incoming, "2");
    QTRY_COMPARE(panel.exampleCount(), 2);
    QSignalSpy requested(&panel, &LearnPanel::eventRequested);
    const QList<QToolButton *> jumps = jumpButtons(panel);
    QCOMPARE(jumps.size(), 2);
    jumps[0]->click();
    jumps[1]->click();
    QCOMPARE(requested.size(), 2);
    QCOMPARE(requested[0].first().value<qsizetype>(), event);
    QCOMPARE(requested[1].first().value<qsizetype>(), ping);
}

void tst_LearnPanel::noteOfAnotherProtocol()
{
    Session session;
    LearnPanel panel;
    panel.setDecoding(&session.decoding);
    panel.setTopic(ProtocolNotes::Stomp);
    QCOMPARE(panel.exampleCount(), 0);
    QVERIFY2(panel.examplesText().contains(QStringLiteral("Socket.IO")), qPrintable(panel.examplesText()));
    QVERIFY2(panel.examplesText().contains(QStringLiteral("STOMP")), qPrintable(panel.examplesText()));
    QPushButton *read = readActiveButton(panel);
    QVERIFY(read->isVisibleTo(&panel));
    QCOMPARE(read->text(), QStringLiteral("Read about Socket.IO"));
    read->click();
    QCOMPARE(panel.currentTopic(), QString(ProtocolNotes::SocketIo));
    QCOMPARE(panel.exampleCount(), int(ProtocolExamples::DefaultMaxExamples));
}

void tst_LearnPanel::overviewSaysWhatTheConnectionSpeaks()
{
    Session session;
    LearnPanel panel;
    panel.setTopic(ProtocolNotes::Overview);
    QVERIFY2(panel.examplesText().contains(QStringLiteral("No connection")), qPrintable(panel.examplesText()));
    QVERIFY(!readActiveButton(panel)->isVisibleTo(&panel));

    panel.setDecoding(&session.decoding);
    QCOMPARE(panel.examplesText(),
        QStringLiteral(
            "Its messages are read as Socket.IO, found from the URL /socket.io/?EIO=4&transport=websocket."));
    QCOMPARE(panel.exampleCount(), 0); // examples belong to the protocol's own note
    readActiveButton(panel)->click();
    QCOMPARE(panel.currentTopic(), QString(ProtocolNotes::SocketIo));
}

void tst_LearnPanel::withoutAConnection()
{
    LearnPanel panel;
    panel.setTopic(ProtocolNotes::Mqtt);
    QVERIFY2(panel.examplesText().contains(QStringLiteral("speaks MQTT")), qPrintable(panel.examplesText()));
    QCOMPARE(panel.exampleCount(), 0);
    QVERIFY(!readActiveButton(panel)->isVisibleTo(&panel));
}

void tst_LearnPanel::decodingGoesAway()
{
    auto session = std::make_unique<Session>();
    LearnPanel panel;
    panel.setDecoding(&session->decoding);
    panel.setTopic(ProtocolNotes::SocketIo);
    QVERIFY(panel.exampleCount() > 0);
    session.reset();
    QCOMPARE(panel.exampleCount(), 0);
    QVERIFY2(
        panel.examplesText().contains(QStringLiteral("Open or select a connection")), qPrintable(panel.examplesText()));
    panel.setDecoding(nullptr); // nothing left to forget
    QCOMPARE(panel.examples()->decoding(), nullptr);
}

QTEST_MAIN(tst_LearnPanel)
#include "tst_learnpanel.moc"
