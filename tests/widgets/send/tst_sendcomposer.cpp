#include "send/sendcomposer.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using Parsed = ComposerInput::Parsed;

class tst_SendComposer : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    // Pure input handling.
    void hex_data();
    void hex();
    void base64_data();
    void base64();
    void json_data();
    void json();
    void compactJson_data();
    void compactJson();
    void prettyJson_data();
    void prettyJson();

    // The widget.
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

void tst_SendComposer::hex_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("error");
    QTest::addColumn<int>("errorPos");

    QTest::addRow("spaced") << QStringLiteral("01 02 ff") << QByteArray("\x01\x02\xff", 3) << QString() << -1;
    QTest::addRow("packed") << QStringLiteral("0102FF") << QByteArray("\x01\x02\xff", 3) << QString() << -1;
    QTest::addRow("0x prefixes") << QStringLiteral("0x48 0X69") << QByteArray("Hi") << QString() << -1;
    QTest::addRow("tabs and lines") << QStringLiteral(" 00\t11\n22 \n") << QByteArray("\x00\x11\x22", 3) << QString()
                                    << -1;
    QTest::addRow("empty") << QString() << QByteArray() << QString() << -1;
    QTest::addRow("blank") << QStringLiteral("  \n ") << QByteArray() << QString() << -1;
    QTest::addRow("bad digit") << QStringLiteral("01 0z") << QByteArray()
                               << QStringLiteral("invalid hex digit 'z' at position 5") << 4;
    QTest::addRow("bad first") << QStringLiteral("g0") << QByteArray()
                               << QStringLiteral("invalid hex digit 'g' at position 1") << 0;
    QTest::addRow("non-ASCII") << QStringLiteral("aa é") << QByteArray()
                               << QStringLiteral("invalid hex digit 'é' at position 4") << 3;
    QTest::addRow("separator") << QStringLiteral("01,02") << QByteArray()
                               << QStringLiteral("invalid hex digit ',' at position 3") << 2;
    QTest::addRow("odd group") << QStringLiteral("01 abc 02") << QByteArray()
                               << QStringLiteral("odd number of hex digits in 'abc' at position 4: each byte needs "
                                                 "two digits")
                               << 3;
    QTest::addRow("single digit") << QStringLiteral("1") << QByteArray()
                                  << QStringLiteral("odd number of hex digits in '1' at position 1: each byte needs "
                                                    "two digits")
                                  << 0;
    QTest::addRow("bare 0x") << QStringLiteral("01 0x") << QByteArray()
                             << QStringLiteral("'0x' without hex digits at position 4") << 3;
}

void tst_SendComposer::hex()
{
    QFETCH(QString, input);
    const Parsed p = ComposerInput::fromHex(input);
    QTEST(p.error, "error");
    QTEST(p.bytes, "bytes");
    QTEST(int(p.errorPos), "errorPos");
}

void tst_SendComposer::base64_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("error");

    QTest::addRow("padded") << QStringLiteral("AQL/") << QByteArray("\x01\x02\xff", 3) << QString();
    QTest::addRow("one pad") << QStringLiteral("aGk=") << QByteArray("hi") << QString();
    QTest::addRow("two pads") << QStringLiteral("aA==") << QByteArray("h") << QString();
    QTest::addRow("unpadded") << QStringLiteral("aA") << QByteArray("h") << QString();
    QTest::addRow("line breaks") << QStringLiteral("aGVs\nbG8=\n") << QByteArray("hello") << QString();
    QTest::addRow("empty") << QString() << QByteArray() << QString();
    QTest::addRow("bad character") << QStringLiteral("aG!k") << QByteArray()
                                   << QStringLiteral("invalid base64 character '!' at position 3");
    QTest::addRow("base64url") << QStringLiteral("ab-_") << QByteArray()
                               << QStringLiteral("invalid base64 character '-' at position 3 (that is base64url; "
                                                 "standard base64 uses + and /)");
    QTest::addRow("data after padding") << QStringLiteral("aA==aA==") << QByteArray()
                                        << QStringLiteral("data after the '=' padding at position 5");
    QTest::addRow("one char left") << QStringLiteral("aGVsb") << QByteArray()
                                   << QStringLiteral("incomplete base64: the last group has 1 character; it needs at "
                                                     "least 2");
    QTest::addRow("too much padding") << QStringLiteral("aGk==") << QByteArray()
                                      << QStringLiteral("wrong padding at position 4: 2 '=' after a group of 3 "
                                                        "characters");
    QTest::addRow("padding on a full group") << QStringLiteral("aGVs=") << QByteArray()
                                             << QStringLiteral("wrong padding at position 5: 1 '=' after a group of 4 "
                                                               "characters");
}

void tst_SendComposer::base64()
{
    QFETCH(QString, input);
    const Parsed p = ComposerInput::fromBase64(input);
    QTEST(p.error, "error");
    QTEST(p.bytes, "bytes");
}

void tst_SendComposer::json_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("error");
    QTest::addColumn<int>("errorPos");

    QTest::addRow("object") << QStringLiteral("{\"a\": 1}") << QString() << -1;
    QTest::addRow("nested") << QStringLiteral(" {\"a\": [1, -2.5e+3, true, false, null, \"x\\n\\u00e9\"], \"b\": {}} ")
                            << QString() << -1;
    QTest::addRow("scalar number") << QStringLiteral("42") << QString() << -1;
    QTest::addRow("scalar string") << QStringLiteral("\"hi\"") << QString() << -1;
    QTest::addRow("duplicate names") << QStringLiteral("{\"a\":1,\"a\":2}") << QString() << -1;
    QTest::addRow("empty") << QString()
                           << QStringLiteral("JSON error at position 1 (line 1, column 1): empty input: JSON "
                                             "needs a value")
                           << 0;
    QTest::addRow("unterminated object") << QStringLiteral("{\"a\":1")
                                         << QStringLiteral(
                                                "JSON error at position 7 (line 1, column 7): unexpected end of "
                                                "input: expected ',' or '}'")
                                         << 6;
    QTest::addRow("missing colon") << QStringLiteral("{\"a\" 1}")
                                   << QStringLiteral("JSON error at position 6 (line 1, column 6): unexpected '1': "
                                                     "expected ':' after the member name")
                                   << 5;
    QTest::addRow("trailing comma") << QStringLiteral("[1,\n  2,\n]")
                                    << QStringLiteral("JSON error at position 8 (line 2, column 4): trailing comma "
                                                      "before ']'")
                                    << 7;
    QTest::addRow("single quotes") << QStringLiteral("{'a': 1}")
                                   << QStringLiteral("JSON error at position 2 (line 1, column 2): unexpected \"'\": "
                                                     "JSON strings use double quotes")
                                   << 1;
    QTest::addRow("garbage after") << QStringLiteral("{} x")
                                   << QStringLiteral("JSON error at position 4 (line 1, column 4): unexpected 'x' "
                                                     "after the JSON value")
                                   << 3;
    QTest::addRow("two values") << QStringLiteral("1 2")
                                << QStringLiteral("JSON error at position 3 (line 1, column 3): unexpected '2' after "
                                                  "the JSON value")
                                << 2;
    QTest::addRow("leading zero") << QStringLiteral("[01]")
                                  << QStringLiteral("JSON error at position 3 (line 1, column 3): numbers cannot have "
                                                    "leading zeros")
                                  << 2;
    QTest::addRow("bad literal") << QStringLiteral("[tru]")
                                 << QStringLiteral("JSON error at position 2 (line 1, column 2): invalid literal: "
                                                   "expected true")
                                 << 1;
    QTest::addRow("raw newline in string") << QStringLiteral("\"a\nb\"")
                                           << QStringLiteral("JSON error at position 3 (line 1, column 3): control "
                                                             "character U+000A in a string must be escaped")
                                           << 2;
    QTest::addRow("bad escape") << QStringLiteral("\"\\q\"")
                                << QStringLiteral("JSON error at position 2 (line 1, column 2): invalid escape \\q in "
                                                  "a string")
                                << 1;
    QTest::addRow("short unicode escape") << QStringLiteral("\"\\u12\"")
                                          << QStringLiteral("JSON error at position 2 (line 1, column 2): invalid \\u "
                                                            "escape: it needs four hex digits")
                                          << 1;
    QTest::addRow("unterminated string") << QStringLiteral("[\"abc")
                                         << QStringLiteral("JSON error at position 2 (line 1, column 2): unterminated "
                                                           "string: no closing '\"'")
                                         << 1;
    QTest::addRow("missing fraction") << QStringLiteral("1.")
                                      << QStringLiteral("JSON error at position 3 (line 1, column 3): unexpected end "
                                                        "of input: expected a digit")
                                      << 2;
    QTest::addRow("too deep") << QString(600, QLatin1Char('['))
                              << QStringLiteral("JSON error at position 513 (line 1, column 513): nested deeper than "
                                                "512 levels")
                              << 512;
}

void tst_SendComposer::json()
{
    QFETCH(QString, input);
    QFETCH(QString, error);
    const Parsed p = ComposerInput::checkJson(input);
    QCOMPARE(p.error, error);
    QTEST(int(p.errorPos), "errorPos");
    QCOMPARE(p.bytes, error.isEmpty() ? input.toUtf8() : QByteArray());
}

void tst_SendComposer::compactJson_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("compact");
    QTest::addRow("spaces") << QStringLiteral("{ \"a\" : 1 }") << QStringLiteral("{\"a\":1}");
    // Order, duplicates, number spelling and escapes are kept exactly.
    QTest::addRow("kept as typed") << QStringLiteral(
        "{\n  \"b\": 1.50,\n  \"a\": 1E3,\n  \"a\": \"x \\\" y\\u00e9\"\n}")
                                   << QStringLiteral("{\"b\":1.50,\"a\":1E3,\"a\":\"x \\\" y\\u00e9\"}");
    QTest::addRow("spaces in strings kept")
        << QStringLiteral("[ \" a  b \" , \"\\\\\" ]") << QStringLiteral("[\" a  b \",\"\\\\\"]");
    QTest::addRow("scalar") << QStringLiteral("  7 ") << QStringLiteral("7");
}

void tst_SendComposer::compactJson()
{
    QFETCH(QString, input);
    QFETCH(QString, compact);
    QVERIFY(ComposerInput::checkJson(input).ok());
    QCOMPARE(ComposerInput::compactJson(input), compact);
    QVERIFY(ComposerInput::checkJson(compact).ok());
}

void tst_SendComposer::prettyJson_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("pretty");
    QTest::addRow("object") << QStringLiteral("{\"a\":[1,2],\"b\":{},\"c\":[],\"d\":{\"e\":null}}")
                            << QStringLiteral(
                                   "{\n    \"a\": [\n        1,\n        2\n    ],\n    \"b\": {},\n    \"c\": "
                                   "[],\n    \"d\": {\n        \"e\": null\n    }\n}");
    QTest::addRow("punctuation in strings")
        << QStringLiteral("[\"{a:b,c}\"]") << QStringLiteral("[\n    \"{a:b,c}\"\n]");
    QTest::addRow("already pretty") << QStringLiteral("{\n    \"a\": 1\n}") << QStringLiteral("{\n    \"a\": 1\n}");
    QTest::addRow("scalar") << QStringLiteral(" \"x\" ") << QStringLiteral("\"x\"");
}

void tst_SendComposer::prettyJson()
{
    QFETCH(QString, input);
    QFETCH(QString, pretty);
    QCOMPARE(ComposerInput::prettyJson(input), pretty);
    QCOMPARE(ComposerInput::compactJson(pretty), ComposerInput::compactJson(input));
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
    composer->setFilePath(m_dir->filePath(QStringLiteral("missing.bin")));
    QCOMPARE(child<QLabel>("fileInfo")->text(), QStringLiteral("No such file."));
    QVERIFY(!child<QPushButton>("send")->isEnabled());
    composer->setFilePath(m_dir->path());
    QCOMPARE(child<QLabel>("fileInfo")->text(), QStringLiteral("Not a regular file."));
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
