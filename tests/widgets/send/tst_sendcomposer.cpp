#include "send/sendcomposer.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

#include <memory>

class tst_SendComposer : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void startsDisabledAndSaysWhy();
    void sendsText();
    void sendsEmptyText();
    void jsonCompactSendsExactly();
    void jsonPrettyIsUndoable();
    void invalidJsonBlocksAndKeepsText();
    void hexSendsBytes();
    void hexErrorShownInline();
    void base64SendsBytes();
    void fileSendsContents();
    void fileProblems();
    void fragmentSize();
    void socketIoEvent();
    void stompFrameGetsItsNul();
    void mqttPacketFromFields();
    void templatesMenu();
    void ctrlEnterSends_data();
    void ctrlEnterSends();
    void switchingModesKeepsText();
    void historyReuse();
    void snippetsPersist();
    void controlPayload_data();
    void controlPayload();
    void oversizedControlNeedsOptIn();
    void screenshots();

private:
    SendComposer *makeComposer()
    {
        m_composer = std::make_unique<SendComposer>(m_settings.get());
        m_composer->resize(720, 480);
        return m_composer.get();
    }
    template <typename T> T *child(const char *name) const
    {
        auto *w = m_composer->findChild<T *>(QLatin1String(name));
        if (!w)
            qFatal("no child %s", name);
        return w;
    }
    QPlainTextEdit *editor() const { return child<QPlainTextEdit>("editor"); }
    void type(const QString &text) { typeInto(editor(), text); }
    // QTest::keyClicks() only knows Latin-1; other characters arrive as text-only key events.
    static void typeInto(QWidget *widget, const QString &text)
    {
        for (qsizetype i = 0; i < text.size(); ++i) {
            const QChar c = text[i];
            if (c.unicode() < 0x80) {
                QTest::keyClick(widget, c.toLatin1());
            } else {
                const qsizetype n = c.isHighSurrogate() ? 2 : 1;
                QTest::sendKeyEvent(QTest::Click, widget, Qt::Key_unknown, text.mid(i, n), Qt::NoModifier);
                i += n - 1;
            }
        }
    }
    void click(const char *button) { QTest::mouseClick(child<QPushButton>(button), Qt::LeftButton); }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<SendComposer> m_composer;
};

void tst_SendComposer::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_settings = std::make_unique<QSettings>(m_dir->filePath(QStringLiteral("composer.ini")), QSettings::IniFormat);
}

void tst_SendComposer::cleanup()
{
    m_composer.reset();
    m_settings.reset();
    m_dir.reset();
}

void tst_SendComposer::startsDisabledAndSaysWhy()
{
    SendComposer *composer = makeComposer();
    QSignalSpy text(composer, &SendComposer::sendTextRequested);
    QSignalSpy ping(composer, &SendComposer::pingRequested);
    type(QStringLiteral("hi"));

    QVERIFY(!composer->isSendEnabled());
    QVERIFY(!child<QPushButton>("send")->isEnabled());
    QVERIFY(!child<QPushButton>("ping")->isEnabled());
    QVERIFY(!child<QPushButton>("pong")->isEnabled());
    QVERIFY(!child<QLabel>("disabledReason")->isHidden());
    QCOMPARE(child<QLabel>("disabledReason")->text(),
        QStringLiteral("Cannot send: not connected. Sending needs an open connection."));
    composer->send();
    composer->sendPing();
    QCOMPARE(text.size(), 0);
    QCOMPARE(ping.size(), 0);
    // Editing stays possible so that a message can be prepared before connecting.
    QVERIFY(editor()->isEnabled());
    QCOMPARE(composer->input(), QStringLiteral("hi"));

    composer->setSendEnabled(true);
    QVERIFY(child<QLabel>("disabledReason")->isHidden());
    QVERIFY(child<QPushButton>("send")->isEnabled());
    QVERIFY(child<QPushButton>("ping")->isEnabled());

    composer->setSendEnabled(false, QStringLiteral("the connection is CLOSING."));
    QCOMPARE(child<QLabel>("disabledReason")->text(), QStringLiteral("Cannot send: the connection is CLOSING."));
    QVERIFY(!child<QPushButton>("send")->isEnabled());
}

void tst_SendComposer::sendsText()
{
    SendComposer *composer = makeComposer();
    composer->setSendEnabled(true);
    QSignalSpy text(composer, &SendComposer::sendTextRequested);
    QSignalSpy binary(composer, &SendComposer::sendBinaryRequested);
    type(QStringLiteral("héllo €"));
    QCOMPARE(child<QLabel>("byteCounter")->text(), QStringLiteral("10 bytes to send"));
    click("send");
    QCOMPARE(text.size(), 1);
    QCOMPARE(text.first().at(0).toByteArray(), QByteArray("h\xc3\xa9llo \xe2\x82\xac"));
    QCOMPARE(text.first().at(1).value<qsizetype>(), qsizetype(0));
    QCOMPARE(binary.size(), 0);
    // The text stays for the next send.
    QCOMPARE(composer->input(), QStringLiteral("héllo €"));
}

void tst_SendComposer::sendsEmptyText()
{
    SendComposer *composer = makeComposer();
    composer->setSendEnabled(true);
    QSignalSpy text(composer, &SendComposer::sendTextRequested);
    QCOMPARE(child<QLabel>("byteCounter")->text(), QStringLiteral("0 bytes to send"));
    click("send");
    QCOMPARE(text.size(), 1);
    QCOMPARE(text.first().at(0).toByteArray(), QByteArray());
}

void tst_SendComposer::jsonCompactSendsExactly()
{
    SendComposer *composer = makeComposer();
    composer->setSendEnabled(true);
    composer->setMode(ComposerMode::Json);
    QSignalSpy text(composer, &SendComposer::sendTextRequested);
    type(QStringLiteral("{ \"a\" : 1 }"));
    QVERIFY(child<QLabel>("inputError")->isHidden());
    click("compact");
    QCOMPARE(composer->input(), QStringLiteral("{\"a\":1}"));
    QCOMPARE(child<QLabel>("byteCounter")->text(), QStringLiteral("7 bytes to send"));
    click("send");
    QCOMPARE(text.size(), 1);
    QCOMPARE(text.first().at(0).toByteArray(), QByteArray("{\"a\":1}"));
}

void tst_SendComposer::socketIoEvent()
{
    SendComposer *composer = makeComposer();
    composer->setSendEnabled(true);
    composer->setMode(ComposerMode::SocketIoEvent);
    QSignalSpy emitted(composer, &SendComposer::socketIoEmitRequested);
    QSignalSpy text(composer, &SendComposer::sendTextRequested);
    QCheckBox *ack = child<QCheckBox>("socketIoAck");
    QVERIFY(!ack->isHidden());
    QVERIFY(ack->isChecked());
    // Not an event: blocked with the reason.
    type(QStringLiteral("[1, 2]"));
    QVERIFY(!child<QLabel>("inputError")->isHidden());
    QCOMPARE(child<QLabel>("inputError")->text(),
             QStringLiteral("a Socket.IO event is a JSON array led by the event's name, like [\"chat message\", \"hi\"]"));
    click("send");
    QCOMPARE(emitted.size(), 0);
    editor()->clear();
    type(QStringLiteral("[ \"chat message\", { \"a\" : 1 } ]"));
    QVERIFY(child<QLabel>("inputError")->isHidden());
    click("send");
    QCOMPARE(emitted.size(), 1);
    QCOMPARE(emitted.first().at(0).toByteArray(), QByteArray(R"(["chat message",{"a":1}])"));
    QCOMPARE(emitted.first().at(1).toBool(), true);
    ack->setChecked(false);
    click("send");
    QCOMPARE(emitted.last().at(1).toBool(), false);
    QCOMPARE(text.size(), 0);
    // The mode and what was typed come back from the history.
    QCOMPARE(composer->history().first().mode, ComposerMode::SocketIoEvent);
    composer->setMode(ComposerMode::Text);
    QVERIFY(ack->isHidden());
}

void tst_SendComposer::stompFrameGetsItsNul()
{
    SendComposer *composer = makeComposer();
    composer->setSendEnabled(true);
    composer->setMode(ComposerMode::StompFrame);
    QSignalSpy text(composer, &SendComposer::sendTextRequested);
    composer->setInput(QStringLiteral("SEND\ndestination:/topic/chat\n\nhello"));
    QCOMPARE(child<QLabel>("byteCounter")->text(), QStringLiteral("36 bytes to send"));
    click("send");
    QCOMPARE(text.size(), 1);
    QCOMPARE(text.first().at(0).toByteArray(), QByteArray("SEND\ndestination:/topic/chat\n\nhello\0", 36));
}

void tst_SendComposer::mqttPacketFromFields()
{
    SendComposer *composer = makeComposer();
    composer->setSendEnabled(true);
    composer->setMode(ComposerMode::MqttPacket);
    QSignalSpy binary(composer, &SendComposer::sendBinaryRequested);
    composer->setInput(QStringLiteral("PUBLISH\ntopic: a/b\nqos: 1\npacket-id: 7\n\nhi"));
    QCOMPARE(child<QLabel>("byteCounter")->text(), QStringLiteral("11 bytes to send"));
    click("send");
    QCOMPARE(binary.size(), 1);
    QCOMPARE(binary.first().at(0).toByteArray().toHex(' '), QByteArray::fromHex("32090003612f6200076869").toHex(' '));
    // A mistake is shown where it is, and nothing is sent.
    composer->setInput(QStringLiteral("PUBLISH\ntopic: a/b\nqos: 9"));
    QCOMPARE(child<QLabel>("inputError")->text(), QStringLiteral("line 3: qos must be a number from 0 to 3, not \"9\""));
    QVERIFY(!child<QPushButton>("send")->isEnabled());
    QCOMPARE(editor()->extraSelections().size(), 1);
    QCOMPARE(editor()->extraSelections().first().cursor.selectionStart(), 24);
}

void tst_SendComposer::templatesMenu()
{
    SendComposer *composer = makeComposer();
    auto *button = child<QToolButton>("templates");
    auto submenus = [&] {
        QStringList titles;
        for (QAction *a : button->menu()->actions())
            if (a->menu())
                titles << a->text();
        return titles;
    };
    auto trigger = [&](const QString &group, const QString &name) {
        for (QAction *a : button->menu()->actions())
            if (a->menu() && a->text() == group)
                for (QAction *t : a->menu()->actions())
                    if (t->text() == name)
                        return t->trigger(), true;
        return false;
    };
    QCOMPARE(submenus().first(), QStringLiteral("Socket.IO"));
    QVERIFY(submenus().contains(QStringLiteral("MQTT 5")));

    type(QStringLiteral("typed before"));
    QVERIFY(trigger(QStringLiteral("STOMP"), QStringLiteral("SUBSCRIBE")));
    QCOMPARE(composer->mode(), ComposerMode::StompFrame);
    QCOMPARE(composer->input(), QStringLiteral("SUBSCRIBE\nid:sub-0\ndestination:/topic/chat\nack:auto\n\n"));
    QVERIFY(child<QLabel>("inputError")->isHidden());
    editor()->undo(); // the template replaced the text as one undoable edit
    QCOMPARE(composer->input(), QStringLiteral("typed before"));

    // The connection's protocol comes first, named so.
    composer->setProtocolHint(Decode::Protocol::Mqtt);
    QCOMPARE(submenus().mid(0, 2), QStringList({ QStringLiteral("MQTT 3.1.1 (this connection)"), QStringLiteral("MQTT 5 (this connection)") }));
    QVERIFY(trigger(QStringLiteral("MQTT 5 (this connection)"), QStringLiteral("CONNECT")));
    QCOMPARE(composer->mode(), ComposerMode::MqttPacket);
    QVERIFY(composer->message().ok());
    QCOMPARE(composer->message().bytes.at(8), char(5)); // protocol level 5
    composer->setProtocolHint(Decode::Protocol::None);
    QCOMPARE(submenus().first(), QStringLiteral("Socket.IO"));
}

void tst_SendComposer::jsonPrettyIsUndoable()
{
    SendComposer *composer = makeComposer();
    composer->setMode(ComposerMode::Json);
    type(QStringLiteral("{\"b\":[1,2]}"));
    click("pretty");
    QCOMPARE(composer->input(), QStringLiteral("{\n    \"b\": [\n        1,\n        2\n    ]\n}"));
    editor()->undo();
    QCOMPARE(composer->input(), QStringLiteral("{\"b\":[1,2]}"));
}

void tst_SendComposer::invalidJsonBlocksAndKeepsText()
{
    SendComposer *composer = makeComposer();
    composer->setSendEnabled(true);
    composer->setMode(ComposerMode::Json);
    QSignalSpy text(composer, &SendComposer::sendTextRequested);
    const QString typed = QStringLiteral("{\"a\": 1,}");
    type(typed);
    QVERIFY(!child<QLabel>("inputError")->isHidden());
    QCOMPARE(child<QLabel>("inputError")->text(),
        QStringLiteral("JSON error at position 8 (line 1, column 8): trailing comma before '}'"));
    QVERIFY(!child<QPushButton>("send")->isEnabled());
    QVERIFY(!child<QPushButton>("compact")->isEnabled());
    QCOMPARE(editor()->extraSelections().size(), 1);
    QCOMPARE(editor()->extraSelections().first().cursor.selectionStart(), 7);
    composer->send();
    click("compact");
    QCOMPARE(text.size(), 0);
    QCOMPARE(composer->input(), typed);

    // Fixing it clears the error and its mark.
    QTest::keyClick(editor(), Qt::Key_Backspace);
    QTest::keyClick(editor(), Qt::Key_Backspace);
    type(QStringLiteral("}"));
    QVERIFY(child<QLabel>("inputError")->isHidden());
    QCOMPARE(editor()->extraSelections().size(), 0);
    click("send");
    QCOMPARE(text.size(), 1);
    QCOMPARE(text.first().at(0).toByteArray(), QByteArray("{\"a\": 1}"));
}

void tst_SendComposer::hexSendsBytes()
{
    SendComposer *composer = makeComposer();
    composer->setSendEnabled(true);
    composer->setMode(ComposerMode::Hex);
    QSignalSpy binary(composer, &SendComposer::sendBinaryRequested);
    QSignalSpy text(composer, &SendComposer::sendTextRequested);
    type(QStringLiteral("01 02 ff"));
    QCOMPARE(child<QLabel>("byteCounter")->text(), QStringLiteral("3 bytes to send"));
    click("send");
    QCOMPARE(binary.size(), 1);
    QCOMPARE(binary.first().at(0).toByteArray(), QByteArray("\x01\x02\xff", 3));
    QCOMPARE(text.size(), 0);
}

void tst_SendComposer::hexErrorShownInline()
{
    SendComposer *composer = makeComposer();
    composer->setSendEnabled(true);
    composer->setMode(ComposerMode::Hex);
    type(QStringLiteral("01 0z"));
    QCOMPARE(child<QLabel>("inputError")->text(), QStringLiteral("invalid hex digit 'z' at position 5"));
    QCOMPARE(child<QLabel>("byteCounter")->text(), QStringLiteral("nothing to send until the input is fixed"));
    QVERIFY(!child<QPushButton>("send")->isEnabled());
    QCOMPARE(editor()->extraSelections().first().cursor.selectedText(), QStringLiteral("z"));
}

void tst_SendComposer::base64SendsBytes()
{
    SendComposer *composer = makeComposer();
    composer->setSendEnabled(true);
    composer->setMode(ComposerMode::Base64);
    QSignalSpy binary(composer, &SendComposer::sendBinaryRequested);
    type(QStringLiteral("AQL/"));
    click("send");
    QCOMPARE(binary.size(), 1);
    QCOMPARE(binary.first().at(0).toByteArray(), QByteArray("\x01\x02\xff", 3));
}

void tst_SendComposer::fileSendsContents()
{
    const QString path = m_dir->filePath(QStringLiteral("payload.bin"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    const QByteArray contents("\x00\x01binary\xff", 9);
    file.write(contents);
    file.close();

    SendComposer *composer = makeComposer();
    composer->setSendEnabled(true);
    composer->setFragmentSize(4);
    composer->setMode(ComposerMode::File);
    QSignalSpy binary(composer, &SendComposer::sendBinaryRequested);
    composer->setFilePath(path);
    QCOMPARE(child<QLabel>("fileInfo")->text(), QStringLiteral("Size: 9 bytes"));
    QCOMPARE(child<QLabel>("byteCounter")->text(), QStringLiteral("9 bytes to send in 3 frames"));
    click("send");
    QCOMPARE(binary.size(), 1);
    QCOMPARE(binary.first().at(0).toByteArray(), contents);
    QCOMPARE(binary.first().at(1).value<qsizetype>(), qsizetype(4));
    QCOMPARE(composer->history().first(), (ComposerEntry { ComposerMode::File, path }));
}

void tst_SendComposer::fileProblems()
{
    SendComposer *composer = makeComposer();
    composer->setSendEnabled(true);
    composer->setMode(ComposerMode::File);
    QSignalSpy binary(composer, &SendComposer::sendBinaryRequested);
    QCOMPARE(child<QLabel>("inputError")->text(), QStringLiteral("Choose a file to send."));
    const QString missing = m_dir->filePath(QStringLiteral("missing.bin"));
    composer->setFilePath(missing);
    QCOMPARE(child<QLabel>("fileInfo")->text(), QStringLiteral("\u201c%1\u201d does not exist.").arg(missing));
    QVERIFY(!child<QPushButton>("send")->isEnabled());
    composer->setFilePath(m_dir->path());
    QCOMPARE(child<QLabel>("fileInfo")->text(), QStringLiteral("\u201c%1\u201d is not a file.").arg(m_dir->path()));
    // Over the connection's message size limit: refused before it is read.
    const QString big = m_dir->filePath(QStringLiteral("big.bin"));
    QFile file(big);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QVERIFY(file.resize(3 << 20));
    file.close();
    composer->setMaxFileBytes(2 << 20);
    composer->setFilePath(big);
    QCOMPARE(child<QLabel>("fileInfo")->text(),
             QStringLiteral("\u201c%1\u201d is 3 MiB; a message can be at most 2 MiB (the message size limit).").arg(big));
    QVERIFY(!child<QPushButton>("send")->isEnabled());
    composer->send();
    QCOMPARE(binary.size(), 0);
}

void tst_SendComposer::fragmentSize()
{
    SendComposer *composer = makeComposer();
    composer->setSendEnabled(true);
    QSignalSpy text(composer, &SendComposer::sendTextRequested);
    type(QStringLiteral("hello world"));
    auto *spin = child<QSpinBox>("fragmentSize");
    QCOMPARE(spin->text(), QStringLiteral("off (one frame)"));
    spin->selectAll();
    QTest::keyClicks(spin, QStringLiteral("4"));
    QCOMPARE(composer->fragmentSize(), qsizetype(4));
    QCOMPARE(child<QLabel>("byteCounter")->text(), QStringLiteral("11 bytes to send in 3 frames"));
    click("send");
    QCOMPARE(text.first().at(1).value<qsizetype>(), qsizetype(4));
}

void tst_SendComposer::ctrlEnterSends_data()
{
    QTest::addColumn<int>("key");
    QTest::addRow("Return") << int(Qt::Key_Return);
    QTest::addRow("keypad Enter") << int(Qt::Key_Enter);
}

void tst_SendComposer::ctrlEnterSends()
{
    QFETCH(int, key);
    SendComposer *composer = makeComposer();
    composer->setSendEnabled(true);
    composer->show();
    composer->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(composer));
    editor()->setFocus();
    QSignalSpy text(composer, &SendComposer::sendTextRequested);
    type(QStringLiteral("hi"));
    QTest::keyClick(editor(), Qt::Key(key), Qt::ControlModifier);
    QCOMPARE(text.size(), 1);
    QCOMPARE(text.first().at(0).toByteArray(), QByteArray("hi"));
    // The shortcut sends; it does not also type a line break.
    QCOMPARE(composer->input(), QStringLiteral("hi"));
}

void tst_SendComposer::switchingModesKeepsText()
{
    SendComposer *composer = makeComposer();
    type(QStringLiteral("not hex"));
    composer->setMode(ComposerMode::Hex);
    QCOMPARE(composer->input(), QStringLiteral("not hex"));
    QCOMPARE(child<QLabel>("inputError")->text(), QStringLiteral("invalid hex digit 'n' at position 1"));
    composer->setMode(ComposerMode::File);
    composer->setMode(ComposerMode::Text);
    QCOMPARE(composer->input(), QStringLiteral("not hex"));
    QVERIFY(child<QLabel>("inputError")->isHidden());
}

void tst_SendComposer::historyReuse()
{
    SendComposer *composer = makeComposer();
    composer->setSendEnabled(true);
    type(QStringLiteral("first"));
    click("send");
    composer->setMode(ComposerMode::Hex);
    editor()->selectAll();
    type(QStringLiteral("0a 0b"));
    click("send");
    QCOMPARE(composer->history(),
        (QList<ComposerEntry> {
            { ComposerMode::Hex, QStringLiteral("0a 0b") }, { ComposerMode::Text, QStringLiteral("first") } }));
    auto *combo = child<QComboBox>("history");
    QCOMPARE(combo->count(), 2);
    QCOMPARE(combo->itemText(0), QStringLiteral("Binary (hex): 0a 0b"));
    QCOMPARE(combo->placeholderText(), QStringLiteral("History (2)"));

    // Picking an entry restores its mode and content; the replaced text is one undo away.
    editor()->selectAll();
    type(QStringLiteral("draft"));
    Q_EMIT combo->activated(1);
    QCOMPARE(composer->mode(), ComposerMode::Text);
    QCOMPARE(composer->input(), QStringLiteral("first"));
    QCOMPARE(combo->currentIndex(), -1);
    editor()->undo();
    QCOMPARE(composer->input(), QStringLiteral("draft"));

    // History survives a restart.
    m_composer.reset();
    makeComposer();
    QCOMPARE(m_composer->history().size(), 2);
    QCOMPARE(child<QComboBox>("history")->count(), 2);
}

void tst_SendComposer::snippetsPersist()
{
    SendComposer *composer = makeComposer();
    composer->setMode(ComposerMode::Json);
    type(QStringLiteral("{\"op\":\"login\"}"));
    QCOMPARE(composer->saveSnippet(QStringLiteral("  login ")), QString());
    QCOMPARE(composer->saveSnippet(QStringLiteral(" ")), QStringLiteral("A snippet needs a name."));
    auto *combo = child<QComboBox>("snippets");
    QCOMPARE(combo->count(), 1);
    QCOMPARE(combo->currentText(), QStringLiteral("login"));
    QVERIFY(child<QPushButton>("deleteSnippet")->isEnabled());

    m_composer.reset();
    composer = makeComposer();
    QCOMPARE(composer->snippets().size(), 1);
    QCOMPARE(composer->snippets().first().name, QStringLiteral("login"));
    combo = child<QComboBox>("snippets");
    QCOMPARE(combo->currentIndex(), -1);
    QVERIFY(!child<QPushButton>("deleteSnippet")->isEnabled());

    type(QStringLiteral("unsaved draft"));
    combo->setCurrentIndex(0);
    Q_EMIT combo->activated(0);
    QCOMPARE(composer->mode(), ComposerMode::Json);
    QCOMPARE(composer->input(), QStringLiteral("{\"op\":\"login\"}"));
    editor()->undo();
    QCOMPARE(composer->input(), QStringLiteral("unsaved draft"));

    QVERIFY(!composer->loadSnippet(QStringLiteral("missing")));
    QVERIFY(composer->deleteSnippet(QStringLiteral("login")));
    QCOMPARE(combo->count(), 0);
    QVERIFY(composer->snippets().isEmpty());
    QVERIFY(!composer->deleteSnippet(QStringLiteral("login")));
}

void tst_SendComposer::controlPayload_data()
{
    QTest::addColumn<bool>("hex");
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QString>("counter");

    QTest::addRow("empty") << false << QString() << QByteArray() << QStringLiteral("0 / 125 bytes");
    QTest::addRow("text") << false << QStringLiteral("hello") << QByteArray("hello") << QStringLiteral("5 / 125 bytes");
    QTest::addRow("UTF-8 counts bytes") << false << QStringLiteral("é€") << QByteArray("\xc3\xa9\xe2\x82\xac")
                                        << QStringLiteral("5 / 125 bytes");
    QTest::addRow("hex") << true << QStringLiteral("00 ff") << QByteArray("\x00\xff", 2)
                         << QStringLiteral("2 / 125 bytes");
    QTest::addRow("exactly 125") << false << QString(125, QLatin1Char('x')) << QByteArray(125, 'x')
                                 << QStringLiteral("125 / 125 bytes");
}

void tst_SendComposer::controlPayload()
{
    QFETCH(bool, hex);
    QFETCH(QString, typed);
    QFETCH(QByteArray, payload);

    SendComposer *composer = makeComposer();
    composer->setSendEnabled(true);
    QSignalSpy ping(composer, &SendComposer::pingRequested);
    QSignalSpy pong(composer, &SendComposer::pongRequested);
    if (hex)
        QTest::keyClick(child<QCheckBox>("controlHex"), Qt::Key_Space); // keyboard: the checkbox toggles with Space
    QCOMPARE(child<QCheckBox>("controlHex")->isChecked(), hex);
    typeInto(child<QLineEdit>("controlPayload"), typed);
    QTEST(child<QLabel>("controlCounter")->text(), "counter");
    QVERIFY(child<QLabel>("controlError")->isHidden());
    click("ping");
    click("pong");
    QCOMPARE(ping.size(), 1);
    QCOMPARE(ping.first().at(0).toByteArray(), payload);
    QCOMPARE(pong.size(), 1);
    QCOMPARE(pong.first().at(0).toByteArray(), payload);
}

void tst_SendComposer::oversizedControlNeedsOptIn()
{
    SendComposer *composer = makeComposer();
    composer->setSendEnabled(true);
    QSignalSpy ping(composer, &SendComposer::pingRequested);
    typeInto(child<QLineEdit>("controlPayload"), QString(125, QLatin1Char('x')) + QStringLiteral("é"));
    QCOMPARE(child<QLabel>("controlCounter")->text(), QStringLiteral("127 / 125 bytes"));
    QVERIFY(!child<QPushButton>("ping")->isEnabled());
    QVERIFY(!child<QPushButton>("pong")->isEnabled());
    QCOMPARE(child<QLabel>("controlError")->text(),
        QStringLiteral("127 bytes is over the 125-byte limit for control frames. Shorten it, or tick \u201cSend "
                       "invalid control frame\u201d to test how the server reacts."));
    composer->sendPing();
    QCOMPARE(ping.size(), 0);

    QTest::keyClick(child<QCheckBox>("allowOversized"), Qt::Key_Space); // keyboard: the checkbox toggles with Space
    QVERIFY(child<QCheckBox>("allowOversized")->isChecked());
    QVERIFY(child<QPushButton>("ping")->isEnabled());
    QCOMPARE(child<QLabel>("controlError")->text(),
        QStringLiteral("Over the limit: this control frame is invalid, and a strict server closes with 1002."));
    click("ping");
    QCOMPARE(ping.size(), 1);
    QCOMPARE(ping.first().at(0).toByteArray(), QByteArray(125, 'x') + "\xc3\xa9");

    // Invalid hex is reported, whatever the size.
    QTest::keyClick(child<QCheckBox>("controlHex"), Qt::Key_Space); // keyboard: the checkbox toggles with Space
    QVERIFY(child<QLabel>("controlError")->text().startsWith(QStringLiteral("invalid hex digit 'x' at position 1")));
    QCOMPARE(child<QLabel>("controlCounter")->text(), QStringLiteral("? / 125 bytes"));
}

void tst_SendComposer::screenshots()
{
    SendComposer *composer = makeComposer();
    composer->setSendEnabled(true);
    composer->setMode(ComposerMode::Json);
    type(QStringLiteral("{\"type\": \"subscribe\", \"channels\": [\"ticker\", ]}"));
    QTest::keyClicks(child<QLineEdit>("controlPayload"), QStringLiteral("keepalive 42"));
    composer->saveSnippet(QStringLiteral("subscribe"));
    composer->show();
    QVERIFY(QTest::qWaitForWindowExposed(composer));
    QVERIFY(composer->grab().save(QStringLiteral("/tmp/sendcomposer.png")));

    composer->setMode(ComposerMode::MqttPacket);
    composer->setInput(QStringLiteral("PUBLISH\nversion: 5\ntopic: sensors/1\nqos: 1\npacket-id: 7\n"
                                      "property: Content Type = application/json\n\n{\"t\": 21.5}"));
    QVERIFY(composer->grab().save(QStringLiteral("/tmp/sendcomposer-mqtt.png")));

    composer->setMode(ComposerMode::Hex);
    editor()->selectAll();
    type(QStringLiteral("81 05 48 65 6c 6c 6g"));
    composer->setSendEnabled(false);
    QVERIFY(composer->grab().save(QStringLiteral("/tmp/sendcomposer-hex-disabled.png")));

    QPalette dark;
    dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    dark.setColor(QPalette::WindowText, QColor(0xe8, 0xe8, 0xe8));
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    dark.setColor(QPalette::Text, QColor(0xe8, 0xe8, 0xe8));
    dark.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
    dark.setColor(QPalette::ButtonText, QColor(0xe8, 0xe8, 0xe8));
    for (auto role : { QPalette::WindowText, QPalette::Text, QPalette::ButtonText })
        dark.setColor(QPalette::Disabled, role, QColor(0x80, 0x80, 0x80));
    composer->setPalette(dark);
    composer->setSendEnabled(true);
    child<QLineEdit>("controlPayload")->setText(QString(130, QLatin1Char('p')));
    QVERIFY(composer->grab().save(QStringLiteral("/tmp/sendcomposer-dark.png")));

    // Narrow, as in a side dock.
    composer->setPalette(QPalette());
    composer->setMode(ComposerMode::File);
    composer->setFilePath(QStringLiteral("/usr/share/common-licenses/GPL-3"));
    composer->resize(composer->minimumSizeHint().width(), 520);
    QVERIFY(composer->grab().save(QStringLiteral("/tmp/sendcomposer-narrow.png")));
}

QTEST_MAIN(tst_SendComposer)
#include "tst_sendcomposer.moc"
