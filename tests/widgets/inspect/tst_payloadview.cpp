#include "inspect/framehexview.h"
#include "inspect/payloadview.h"
#include "protocol/closecodes.h"
#include "protocol/frame.h"

#include <QAbstractItemModelTester>
#include <QPlainTextEdit>
#include <QTabBar>
#include <QTabWidget>
#include <QtTest>

using Tab = PayloadView::Tab;

namespace {

// The tree as lines "key|value|type", children indented by two spaces per level.
void flatten(const QAbstractItemModel *model, const QModelIndex &parent, int depth, QStringList &out)
{
    for (int row = 0; row < model->rowCount(parent); ++row) {
        const QModelIndex key = model->index(row, 0, parent);
        out << QString(depth * 2, QLatin1Char(' ')) + key.data().toString() + QLatin1Char('|')
                + model->index(row, 1, parent).data().toString() + QLatin1Char('|')
                + model->index(row, 2, parent).data().toString();
        flatten(model, key, depth + 1, out);
    }
}

QStringList treeLines(const QAbstractItemModel *model)
{
    QStringList lines;
    flatten(model, {}, 0, lines);
    return lines;
}

} // namespace

class tst_PayloadView : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void bidiOverrideArrivesEscaped();
    void jsonDetected_data();
    void jsonDetected();
    void notJson_data();
    void notJson();
    void invalidUtf8ShowsHex_data();
    void invalidUtf8ShowsHex();
    void cutOnCharacterBoundary();
    void largePayloadNote();
    void largeJsonIsNotParsed();
    void closePayload_data();
    void closePayload();
    void binaryAndControl_data();
    void binaryAndControl();
    void clearEmpties();
    void longLinesShowLess();
    void minifiedJsonKeepsJsonViews();
    void prettyIsCut();
    void treeStopsAtLimit();
    void userTabIsKept();

private:
    PayloadView *m_view = nullptr;
};

void tst_PayloadView::init()
{
    m_view = new PayloadView;
    m_view->resize(600, 400);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view));
}

void tst_PayloadView::cleanup()
{
    delete m_view;
    m_view = nullptr;
}

void tst_PayloadView::bidiOverrideArrivesEscaped()
{
    // In the Text tab, in the re-indented JSON and in the tree, keys and values alike.
    m_view->setPayload(Opcode::Text, QByteArray("{\"k\xe2\x80\xae\":\"v\xe2\x80\xae\\u2066x\"}"));
    QCOMPARE(m_view->text(), QStringLiteral("{\"k\\u202e\":\"v\\u202e\\u2066x\"}"));
    QVERIFY(m_view->prettyJson().contains(QStringLiteral("\"k\\u202e\": \"v\\u202e\\u2066x\"")));
    QAbstractItemModel *tree = m_view->jsonModel();
    QCOMPARE(tree->index(0, 0).data().toString(), QStringLiteral("k\\u202e"));
    QCOMPARE(tree->index(0, 1).data().toString(), QStringLiteral("v\\u202e\\u2066x"));
    const QString all = m_view->text() + m_view->prettyJson();
    QVERIFY(!all.contains(QChar(0x202E)));
    QVERIFY(!all.contains(QChar(0x2066)));
}

void tst_PayloadView::jsonDetected_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QString>("pretty");
    QTest::addColumn<QStringList>("tree");

    QTest::addRow("object, order kept")
        << QByteArrayLiteral(R"({"b":1,"a":[true,null,"x"],"c":{}})")
        << QStringLiteral("{\n    \"b\": 1,\n    \"a\": [\n        true,\n        null,\n        \"x\"\n    ],\n"
                          "    \"c\": {}\n}")
        << QStringList { QStringLiteral("b|1|number"), QStringLiteral("a|[3 items]|array"),
               QStringLiteral("  [0]|true|boolean"), QStringLiteral("  [1]|null|null"),
               QStringLiteral("  [2]|x|string"), QStringLiteral("c|{0 members}|object") };
    QTest::addRow("array at top, whitespace and CRLF")
        << QByteArrayLiteral("[ 1 ,\r\n  {\"k\" : \"v\"} , [] ]\r\n")
        << QStringLiteral("[\n    1,\n    {\n        \"k\": \"v\"\n    },\n    []\n]")
        << QStringList { QStringLiteral("[0]|1|number"), QStringLiteral("[1]|{1 member}|object"),
               QStringLiteral("  k|v|string"), QStringLiteral("[2]|[0 items]|array") };
    QTest::addRow("numbers and duplicates as sent")
        << QByteArrayLiteral(R"({"n":12345678901234567890,"n":-1.50e3,"f":false})")
        << QStringLiteral("{\n    \"n\": 12345678901234567890,\n    \"n\": -1.50e3,\n    \"f\": false\n}")
        << QStringList { QStringLiteral("n|12345678901234567890|number"), QStringLiteral("n|-1.50e3|number"),
               QStringLiteral("f|false|boolean") };
    QTest::addRow("string escapes decoded in the tree, kept in pretty")
        << QByteArrayLiteral(R"({"s":"a\"b\\c\nd\u00e9\ud83d\ude00","k\tey":"{,[:]}"})")
        << QStringLiteral("{\n    \"s\": \"a\\\"b\\\\c\\nd\\u00e9\\ud83d\\ude00\",\n    \"k\\tey\": \"{,[:]}\"\n}")
        << QStringList { QStringLiteral("s|a\"b\\c\\nd\u00e9\U0001F600|string"),
               QStringLiteral("k\\tey|{,[:]}|string") };
    QTest::addRow("raw bidi override in a string is escaped")
        << QByteArray("[\"ab\xe2\x80\xae"
                      "cd\"]")
        << QStringLiteral("[\n    \"ab\\u202ecd\"\n]") << QStringList { QStringLiteral("[0]|ab\\u202ecd|string") };
    QTest::addRow("nested") << QByteArrayLiteral(R"({"a":{"b":{"c":[[0]]}}})")
                            << QStringLiteral(
                                   "{\n    \"a\": {\n        \"b\": {\n            \"c\": [\n                [\n"
                                   "                    0\n                ]\n            ]\n        }\n    }\n}")
                            << QStringList { QStringLiteral("a|{1 member}|object"),
                                   QStringLiteral("  b|{1 member}|object"), QStringLiteral("    c|[1 item]|array"),
                                   QStringLiteral("      [0]|[1 item]|array"), QStringLiteral("        [0]|0|number") };
}

void tst_PayloadView::jsonDetected()
{
    QFETCH(QByteArray, payload);
    QFETCH(QString, pretty);
    QFETCH(QStringList, tree);

    m_view->setPayload(Opcode::Text, payload);
    QVERIFY(m_view->isJson());
    QVERIFY(m_view->hasTab(Tab::Pretty));
    QVERIFY(m_view->hasTab(Tab::Tree));
    QVERIFY(m_view->hasTab(Tab::Text));
    QVERIFY(m_view->hasTab(Tab::Hex));
    QCOMPARE(m_view->currentTab(), Tab::Pretty);
    QCOMPARE(m_view->prettyJson(), pretty);
    QAbstractItemModelTester tester(m_view->jsonModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(treeLines(m_view->jsonModel()), tree);
    QCOMPARE(m_view->jsonModel()->headerData(0, Qt::Horizontal).toString(), QStringLiteral("Key"));
    QCOMPARE(m_view->jsonModel()->headerData(2, Qt::Horizontal).toString(), QStringLiteral("Type"));
    QCOMPARE(m_view->note(), QString());
}

void tst_PayloadView::notJson_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QString>("text");

    QTest::addRow("unterminated object") << QByteArrayLiteral(R"({"a":1)") << QStringLiteral(R"({"a":1)");
    QTest::addRow("trailing comma") << QByteArrayLiteral("[1,2,]") << QStringLiteral("[1,2,]");
    QTest::addRow("bare number") << QByteArrayLiteral("42") << QStringLiteral("42");
    QTest::addRow("text with braces") << QByteArrayLiteral("hello {world}") << QStringLiteral("hello {world}");
    QTest::addRow("two documents") << QByteArrayLiteral("{} {}") << QStringLiteral("{} {}");
    QTest::addRow("single quotes") << QByteArrayLiteral("{'a':1}") << QStringLiteral("{'a':1}");
}

void tst_PayloadView::notJson()
{
    QFETCH(QByteArray, payload);
    QFETCH(QString, text);

    m_view->setPayload(Opcode::Text, QByteArrayLiteral(R"({"was":"json"})"));
    QVERIFY(m_view->isJson());
    m_view->setPayload(Opcode::Text, payload);
    QVERIFY(!m_view->isJson());
    QVERIFY(!m_view->hasTab(Tab::Pretty));
    QVERIFY(!m_view->hasTab(Tab::Tree));
    QCOMPARE(m_view->currentTab(), Tab::Text);
    QCOMPARE(m_view->text(), text);
    QCOMPARE(m_view->prettyJson(), QString());
    QCOMPARE(m_view->jsonModel()->rowCount(), 0);
}

void tst_PayloadView::invalidUtf8ShowsHex_data()
{
    QTest::addColumn<int>("opcode");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("note");

    QTest::addRow("text frame") << int(Opcode::Text) << QByteArrayLiteral("abc\xff\xfe{}")
                                << QStringLiteral("abc\\xff\\xfe{}")
                                << QStringLiteral("Not valid UTF-8 (first bad byte at offset 3): bytes that are not "
                                                  "UTF-8 are shown as \\xNN. A text message must be valid UTF-8 (RFC "
                                                  "6455 §8.1).");
    QTest::addRow("ping") << int(Opcode::Ping) << QByteArrayLiteral("\x01\x02\xc0") << QStringLiteral("\\x01\\x02\\xc0")
                          << QStringLiteral("Not valid UTF-8 (first bad byte at offset 2): bytes that are not UTF-8 "
                                            "are shown as \\xNN.");
}

void tst_PayloadView::invalidUtf8ShowsHex()
{
    QFETCH(int, opcode);
    QFETCH(QByteArray, payload);
    QFETCH(QString, text);
    QFETCH(QString, note);

    m_view->setPayload(quint8(opcode), payload);
    QCOMPARE(m_view->currentTab(), Tab::Hex);
    QVERIFY(!m_view->isJson());
    QCOMPARE(m_view->text(), text);
    QCOMPARE(m_view->note(), note);
    QCOMPARE(m_view->hexView()->copyAsHex(), QString::fromLatin1(payload.toHex(' ')));
}

void tst_PayloadView::cutOnCharacterBoundary()
{
    m_view->setTextLimit(5);
    // "abcd" + é (2 bytes, crossing the limit) + "f": the cut never splits é into invalid bytes.
    m_view->setPayload(Opcode::Text,
        QByteArray("abcd\xc3\xa9"
                   "f"));
    QVERIFY(m_view->isTruncated());
    QCOMPARE(m_view->text(), QStringLiteral("abcd"));
    QCOMPARE(
        m_view->note(), QStringLiteral("Showing the first 4 bytes of 7 bytes — the full payload is in the Hex tab."));
    QCOMPARE(m_view->currentTab(), Tab::Text);

    m_view->setPayload(Opcode::Text, QByteArrayLiteral("abc\xe2\x82\xac"));
    QCOMPARE(m_view->text(), QStringLiteral("abc"));
    m_view->setTextLimit(6);
    m_view->setPayload(Opcode::Text, QByteArrayLiteral("abc\xe2\x82\xac"));
    QVERIFY(!m_view->isTruncated());
    QCOMPARE(m_view->text(), QStringLiteral("abc\u20ac"));
    QCOMPARE(m_view->note(), QString());
}

void tst_PayloadView::largePayloadNote()
{
    constexpr qsizetype size = 64 * 1024 * 1024;
    QByteArray payload;
    payload.reserve(size);
    const QByteArray line = QByteArrayLiteral("a line of text that repeats until sixty-four mebibytes are used\n");
    while (payload.size() + line.size() <= size)
        payload.append(line);
    payload.append(QByteArray(size - payload.size(), 'z'));
    QCOMPARE(payload.size(), size);

    m_view->setPayload(Opcode::Text, payload);
    QVERIFY(m_view->isTruncated());
    QCOMPARE(m_view->note(), QStringLiteral("Showing the first 1 MiB of 64 MiB — the full payload is in the Hex tab."));
    QCOMPARE(m_view->text().size(), PayloadView::DefaultTextLimit);
    QVERIFY(payload.startsWith(m_view->text().toUtf8()));
    QCOMPARE(m_view->hexView()->totalSize(), qint64(size));
    QCOMPARE(m_view->hexView()->payload().constData(), payload.constData()); // shared, not copied
    QVERIFY(!m_view->isJson());
    QCOMPARE(m_view->currentTab(), Tab::Text);
}

void tst_PayloadView::largeJsonIsNotParsed()
{
    m_view->setTextLimit(16);
    m_view->setPayload(Opcode::Text, QByteArrayLiteral(R"({"key":"a value past the limit"})"));
    QVERIFY(!m_view->isJson());
    QVERIFY(!m_view->hasTab(Tab::Tree));
    QCOMPARE(m_view->text(), QStringLiteral("{\"key\":\"a value "));
    QCOMPARE(
        m_view->note(), QStringLiteral("Showing the first 16 bytes of 32 bytes — the full payload is in the Hex tab."));
}

void tst_PayloadView::closePayload_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("note");

    QTest::addRow("1000 with reason")
        << QByteArray::fromHex("03e8") + QByteArrayLiteral("bye")
        << QStringLiteral("Status code: 1000 Normal Closure\n"
                          "The connection did what it was opened for and is being closed on purpose.\n"
                          "Reason (3 bytes): bye")
        << QString();
    QTest::addRow("1012 no reason")
        << QByteArray::fromHex("03f4")
        << QStringLiteral("Status code: 1012 Service Restart\n"
                          "The server is restarting; a client may reconnect after a short, randomized wait.\n"
                          "No reason given.")
        << QString();
    QTest::addRow("1005 must not be sent")
        << QByteArray::fromHex("03ed")
        << QStringLiteral("Status code: 1005 No Status Received\n"
                          "Never sent on the wire: an API reports it when the peer's close frame carried no status "
                          "code.\n"
                          "This code may not appear in a close frame; a strict peer fails the connection with 1002 "
                          "Protocol Error.\n"
                          "No reason given.")
        << QString();
    QTest::addRow("empty")
        << QByteArray()
        << QStringLiteral(
               "No status code.\nThe close frame is empty; the receiving API reports 1005 No Status Received.")
        << QString();
    QTest::addRow("one byte") << QByteArray::fromHex("03")
                              << QStringLiteral("Malformed close payload: 1 byte cannot hold a 2-byte status code.\n"
                                                "A strict peer fails the connection with 1002 Protocol Error.")
                              << QString();
    QTest::addRow("reason with control and invalid UTF-8")
        << QByteArray::fromHex("0fa1") + QByteArrayLiteral("a\nb\xff")
        << QStringLiteral("Status code: 4001 Private use\n") + CloseCodes::info(4001).meaning
            + QStringLiteral("\nReason (4 bytes): a\\nb\\xff")
        << QStringLiteral("The close reason is not valid UTF-8 (from reason byte 3); a strict peer fails the "
                          "connection with 1007 Invalid Payload Data.");
}

void tst_PayloadView::closePayload()
{
    QFETCH(QByteArray, payload);
    QFETCH(QString, text);
    QFETCH(QString, note);

    m_view->setPayload(Opcode::Close, payload);
    QCOMPARE(m_view->text(), text);
    QCOMPARE(m_view->note(), note);
    QCOMPARE(m_view->currentTab(), Tab::Text);
    QVERIFY(!m_view->isJson());
    QCOMPARE(m_view->hexView()->totalSize(), payload.size());
    QCOMPARE(m_view->findChild<QTabWidget *>()->tabText(int(Tab::Text)), QStringLiteral("Close"));

    m_view->setPayload(Opcode::Text, QByteArrayLiteral("x"));
    QCOMPARE(m_view->findChild<QTabWidget *>()->tabText(int(Tab::Text)), QStringLiteral("Text"));
}

void tst_PayloadView::binaryAndControl_data()
{
    QTest::addColumn<int>("opcode");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<bool>("textTab");
    QTest::addColumn<int>("current");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("note");

    QTest::addRow("binary") << int(Opcode::Binary) << QByteArray::fromHex("00ff10") << false << int(Tab::Hex)
                            << QString() << QString();
    QTest::addRow("binary JSON stays binary")
        << int(Opcode::Binary) << QByteArrayLiteral("{}") << false << int(Tab::Hex) << QString() << QString();
    QTest::addRow("empty binary") << int(Opcode::Binary) << QByteArray() << false << int(Tab::Hex) << QString()
                                  << QStringLiteral("Empty payload.");
    QTest::addRow("ping text") << int(Opcode::Ping) << QByteArrayLiteral("are you there?") << true << int(Tab::Text)
                               << QStringLiteral("are you there?") << QString();
    QTest::addRow("pong JSON shown as text") << int(Opcode::Pong) << QByteArrayLiteral("[1]") << true << int(Tab::Text)
                                             << QStringLiteral("[1]") << QString();
    QTest::addRow("empty pong") << int(Opcode::Pong) << QByteArray() << true << int(Tab::Text) << QString()
                                << QStringLiteral("Empty payload.");
    QTest::addRow("continuation text") << int(Opcode::Continuation) << QByteArrayLiteral("rest\n") << true
                                       << int(Tab::Text) << QStringLiteral("rest\n") << QString();
}

void tst_PayloadView::binaryAndControl()
{
    QFETCH(int, opcode);
    QFETCH(QByteArray, payload);
    QFETCH(bool, textTab);
    QFETCH(int, current);
    QFETCH(QString, text);
    QFETCH(QString, note);

    m_view->setPayload(quint8(opcode), payload);
    QCOMPARE(m_view->hasTab(Tab::Text), textTab);
    QVERIFY(m_view->hasTab(Tab::Hex));
    QVERIFY(!m_view->hasTab(Tab::Tree));
    QCOMPARE(m_view->currentTab(), Tab(current));
    QCOMPARE(m_view->text(), text);
    QCOMPARE(m_view->note(), note);
    QCOMPARE(m_view->hexView()->copyAsHex(), QString::fromLatin1(payload.toHex(' ')));
    QVERIFY(!m_view->hexView()->layout().hasHeader());
}

void tst_PayloadView::clearEmpties()
{
    m_view->setPayload(Opcode::Text, QByteArrayLiteral(R"({"a":1})"));
    QVERIFY(m_view->isJson());
    m_view->clear();
    QVERIFY(!m_view->isJson());
    QCOMPARE(m_view->text(), QString());
    QCOMPARE(m_view->prettyJson(), QString());
    QCOMPARE(m_view->jsonModel()->rowCount(), 0);
    QCOMPARE(m_view->hexView()->totalSize(), 0);
    QCOMPARE(m_view->note(), QString());
}

void tst_PayloadView::longLinesShowLess()
{
    const QByteArray payload(2 * 1024 * 1024, 'a'); // no break opportunity anywhere
    m_view->setPayload(Opcode::Text, payload);
    QCOMPARE(m_view->note(),
        QStringLiteral("Showing the first 256 KiB of 2 MiB (very long lines) — the full payload is in the Hex tab."));
    QCOMPARE(m_view->text().size(), PayloadView::LongLineTextLimit);
    auto *textEdit = m_view->findChild<QPlainTextEdit *>(QStringLiteral("text"));
    QVERIFY(textEdit);
    QCOMPARE(textEdit->toPlainText().size(), PayloadView::LongLineTextLimit);
    QCOMPARE(textEdit->wordWrapMode(), QTextOption::WrapAnywhere);

    m_view->setPayload(Opcode::Text, QByteArrayLiteral("short\nlines"));
    QCOMPARE(textEdit->wordWrapMode(), QTextOption::WrapAtWordBoundaryOrAnywhere);
}

void tst_PayloadView::minifiedJsonKeepsJsonViews()
{
    // 300 KiB of minified JSON on one line: the Text tab is cut, Pretty and Tree have everything.
    QByteArray json = "[";
    for (int i = 0; json.size() < 300 * 1024; ++i)
        json += "{\"id\":" + QByteArray::number(i) + ",\"v\":\"xx\"},";
    json.chop(1);
    json += "]";
    m_view->setPayload(Opcode::Text, json);
    QVERIFY(m_view->isJson());
    QVERIFY(m_view->isTruncated());
    QCOMPARE(m_view->currentTab(), Tab::Pretty);
    QCOMPARE(m_view->note(),
        QStringLiteral("The Text tab shows the first 256 KiB of 300 KiB (very long lines); Pretty, Tree and Hex have "
                       "all of it."));
    QVERIFY(m_view->prettyJson().endsWith(QStringLiteral("        \"v\": \"xx\"\n    }\n]")));
}

void tst_PayloadView::prettyIsCut()
{
    m_view->setTextLimit(40);
    m_view->setPayload(Opcode::Text, QByteArrayLiteral(R"({"a":[1,2,3,4,5,6,7,8]})"));
    QVERIFY(m_view->isJson());
    QCOMPARE(m_view->prettyJson(), QStringLiteral("{\n    \"a\": [\n        1,\n        2,"));
    QCOMPARE(
        m_view->note(), QStringLiteral("Pretty shows the first 4 of 12 lines — the full payload is in the Hex tab."));
}

void tst_PayloadView::treeStopsAtLimit()
{
    QByteArray json = "[0";
    for (int i = 1; i < PayloadView::TreeRowLimit + 5; ++i)
        json += "," + QByteArray::number(i);
    json += "]";
    m_view->setPayload(Opcode::Text, json);
    QAbstractItemModel *model = m_view->jsonModel();
    QCOMPARE(model->rowCount(), PayloadView::TreeRowLimit + 1);
    QCOMPARE(model->index(PayloadView::TreeRowLimit - 1, 1).data().toString(),
        QString::number(PayloadView::TreeRowLimit - 1));
    QCOMPARE(model->index(PayloadView::TreeRowLimit, 0).data().toString(), QStringLiteral("…"));
}

void tst_PayloadView::userTabIsKept()
{
    m_view->setPayload(Opcode::Text, QByteArrayLiteral(R"({"a":1})"));
    QCOMPARE(m_view->currentTab(), Tab::Pretty);
    QTabBar *bar = m_view->findChild<QTabBar *>();
    QTest::mouseClick(bar, Qt::LeftButton, {}, bar->tabRect(int(Tab::Tree)).center());
    QCOMPARE(m_view->currentTab(), Tab::Tree);

    m_view->setPayload(Opcode::Text, QByteArrayLiteral(R"({"b":2})"));
    QCOMPARE(m_view->currentTab(), Tab::Tree);
    QCOMPARE(treeLines(m_view->jsonModel()), QStringList { QStringLiteral("b|2|number") });
    m_view->setPayload(Opcode::Binary, QByteArrayLiteral("x"));
    QCOMPARE(m_view->currentTab(), Tab::Hex);
    m_view->setPayload(Opcode::Text, QByteArrayLiteral("plain"));
    QCOMPARE(m_view->currentTab(), Tab::Text);
    m_view->setPayload(Opcode::Text, QByteArrayLiteral("[3]"));
    QCOMPARE(m_view->currentTab(), Tab::Tree);
}

QTEST_MAIN(tst_PayloadView)
#include "tst_payloadview.moc"
