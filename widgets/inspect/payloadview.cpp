#include "inspect/payloadview.h"

#include "inspect/framehexview.h"
#include "protocol/closecodes.h"
#include "protocol/frame.h"
#include "protocol/utf8validator.h"
#include "text/sizeformat.h"

#include <QFontDatabase>
#include <QHeaderView>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QLabel>
#include <QPlainTextEdit>
#include <QStandardItemModel>
#include <QTabBar>
#include <QTabWidget>
#include <QTreeView>
#include <QVBoxLayout>

namespace {

constexpr int kTreeValueChars = 1000; // longer strings are cut in the tree; the Pretty tab has them whole
// QTextLayout wraps a line without break opportunities in quadratic time (minutes for 1 MiB of
// "aaaa..."), so pages with lines this long wrap anywhere instead, and show less text.
constexpr qsizetype kLongLine = 4096;

qsizetype longestLine(QByteArrayView bytes)
{
    qsizetype longest = 0;
    qsizetype start = 0;
    while (start <= bytes.size()) {
        qsizetype end = bytes.indexOf('\n', start);
        if (end < 0)
            end = bytes.size();
        longest = qMax(longest, end - start);
        start = end + 1;
    }
    return longest;
}

qsizetype longestLine(QStringView text)
{
    qsizetype longest = 0;
    qsizetype start = 0;
    while (start <= text.size()) {
        qsizetype end = text.indexOf(QLatin1Char('\n'), start);
        if (end < 0)
            end = text.size();
        longest = qMax(longest, end - start);
        start = end + 1;
    }
    return longest;
}

void setPlainTextWrapped(QPlainTextEdit *edit, const QString &text)
{
    edit->setWordWrapMode(
        longestLine(text) > kLongLine ? QTextOption::WrapAnywhere : QTextOption::WrapAtWordBoundaryOrAnywhere);
    edit->setPlainText(text);
}

// Characters that would hide or rearrange text if shown raw: C1 controls, bidirectional overrides
// and isolates (the "Trojan Source" trick), and the Unicode line/paragraph separators.
bool isInvisibleControl(char32_t cp)
{
    return (cp >= 0x80 && cp <= 0x9F) || cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x2028 && cp <= 0x202E)
        || (cp >= 0x2066 && cp <= 0x2069);
}

void appendCodePoint(QString &out, char32_t cp, bool keepBreaks)
{
    if (cp < 0x20 || cp == 0x7F) {
        if (keepBreaks && (cp == '\n' || cp == '\t'))
            out += QChar(cp);
        else if (cp == '\n')
            out += QStringLiteral("\\n");
        else if (cp == '\t')
            out += QStringLiteral("\\t");
        else if (cp == '\r')
            out += QStringLiteral("\\r");
        else
            out += QStringLiteral("\\x%1").arg(uint(cp), 2, 16, QLatin1Char('0'));
        return;
    }
    if (isInvisibleControl(cp)) {
        out += QStringLiteral("\\u%1").arg(uint(cp), 4, 16, QLatin1Char('0'));
        return;
    }
    if (QChar::requiresSurrogates(cp)) {
        out += QChar(QChar::highSurrogate(cp));
        out += QChar(QChar::lowSurrogate(cp));
    } else {
        out += QChar(char16_t(cp));
    }
}

// Escapes what appendCodePoint escapes in text that is already valid (decoded JSON strings).
QString escapedForDisplay(QStringView text, bool keepBreaks)
{
    QString out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (c.isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate()) {
            out += c;
            out += text[++i];
            continue;
        }
        appendCodePoint(out, c.unicode(), keepBreaks);
    }
    return out;
}

// The longest prefix of at most `limit` bytes that does not end inside a UTF-8 sequence.
QByteArrayView utf8Prefix(QByteArrayView bytes, qint64 limit)
{
    if (bytes.size() <= limit)
        return bytes;
    QByteArrayView prefix = bytes.first(limit);
    for (qsizetype k = prefix.size() - 1; k >= 0 && k >= prefix.size() - 4; --k) {
        const auto b = quint8(prefix[k]);
        if ((b & 0xC0) == 0x80)
            continue; // continuation byte: keep looking for its lead
        const int len = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
        if (k + len > prefix.size())
            prefix = prefix.first(k);
        break;
    }
    return prefix;
}

// Re-indents valid JSON text without reordering keys or rewriting numbers, which a parse and
// re-serialisation through QJsonDocument would do (an inspector shows what the peer sent).
QString reindentJson(QStringView json)
{
    QString out;
    out.reserve(json.size() * 2);
    int depth = 0;
    const auto newline = [&] {
        out += QLatin1Char('\n');
        out += QString(depth * 4, QLatin1Char(' '));
    };
    const auto nextSignificant = [&](qsizetype from) {
        while (from < json.size() && json[from].isSpace())
            ++from;
        return from;
    };
    for (qsizetype i = 0; i < json.size(); ++i) {
        const QChar c = json[i];
        switch (c.unicode()) {
        case '"': {
            const qsizetype start = i++;
            while (i < json.size() && json[i] != QLatin1Char('"'))
                i += json[i] == QLatin1Char('\\') ? 2 : 1;
            out += json.mid(start, i - start + 1);
            break;
        }
        case '{':
        case '[': {
            const qsizetype next = nextSignificant(i + 1);
            const QChar close = c == QLatin1Char('{') ? QLatin1Char('}') : QLatin1Char(']');
            out += c;
            if (next < json.size() && json[next] == close) {
                out += close;
                i = next;
            } else {
                ++depth;
                newline();
            }
            break;
        }
        case '}':
        case ']':
            --depth;
            newline();
            out += c;
            break;
        case ',':
            out += c;
            newline();
            break;
        case ':':
            out += QStringLiteral(": ");
            break;
        case ' ':
        case '\t':
        case '\n':
        case '\r':
            break;
        default:
            out += c;
        }
    }
    return out;
}

// Builds key / value / type rows from valid JSON text (QJsonDocument checked it first), keeping
// the peer's member order and duplicate keys, which QJsonObject would sort and merge.
class JsonTreeBuilder {
public:
    JsonTreeBuilder(QStringView json, int rowBudget)
        : m_json(json)
        , m_budget(rowBudget)
    {
    }

    void build(QStandardItem *root)
    {
        skipSpace();
        if (peek() == QLatin1Char('{') || peek() == QLatin1Char('['))
            appendChildren(root);
        else
            appendValue(root, QStringLiteral("(value)"));
    }

private:
    QChar peek() const { return m_pos < m_json.size() ? m_json[m_pos] : QChar(); }
    void skipSpace()
    {
        while (m_pos < m_json.size() && m_json[m_pos].isSpace())
            ++m_pos;
    }

    static QStandardItem *item(const QString &text)
    {
        auto *i = new QStandardItem(text);
        i->setEditable(false);
        return i;
    }

    QString parseString()
    {
        QString out;
        ++m_pos; // opening quote
        while (m_pos < m_json.size() && m_json[m_pos] != QLatin1Char('"')) {
            QChar c = m_json[m_pos++];
            if (c != QLatin1Char('\\') || m_pos >= m_json.size()) {
                out += c;
                continue;
            }
            c = m_json[m_pos++];
            switch (c.unicode()) {
            case 'b':
                out += QLatin1Char('\b');
                break;
            case 'f':
                out += QLatin1Char('\f');
                break;
            case 'n':
                out += QLatin1Char('\n');
                break;
            case 'r':
                out += QLatin1Char('\r');
                break;
            case 't':
                out += QLatin1Char('\t');
                break;
            case 'u': {
                bool ok = false;
                const ushort unit = m_json.mid(m_pos, 4).toUShort(&ok, 16);
                m_pos += 4;
                out += ok ? QChar(unit) : QChar(QChar::ReplacementCharacter);
                break;
            }
            default:
                out += c; // \" \\ \/
            }
        }
        ++m_pos; // closing quote
        return out;
    }

    void appendValue(QStandardItem *parent, const QString &key)
    {
        skipSpace();
        QStandardItem *keyItem = item(key);
        QStandardItem *valueItem = item(QString());
        QStandardItem *typeItem = item(QString());
        parent->appendRow({ keyItem, valueItem, typeItem });
        const QChar c = peek();
        if (c == QLatin1Char('{') || c == QLatin1Char('[')) {
            const bool object = c == QLatin1Char('{');
            const int count = appendChildren(keyItem);
            typeItem->setText(object ? QStringLiteral("object") : QStringLiteral("array"));
            valueItem->setText(object
                    ? (count == 1 ? QStringLiteral("{1 member}") : QStringLiteral("{%1 members}").arg(count))
                    : (count == 1 ? QStringLiteral("[1 item]") : QStringLiteral("[%1 items]").arg(count)));
        } else if (c == QLatin1Char('"')) {
            const QString value = parseString();
            QString shown = escapedForDisplay(QStringView(value).left(kTreeValueChars), false);
            if (value.size() > kTreeValueChars)
                shown += QStringLiteral("… (%1 characters)").arg(value.size());
            valueItem->setText(shown);
            typeItem->setText(QStringLiteral("string"));
        } else {
            const qsizetype start = m_pos;
            while (m_pos < m_json.size() && !m_json[m_pos].isSpace() && m_json[m_pos] != QLatin1Char(',')
                && m_json[m_pos] != QLatin1Char('}') && m_json[m_pos] != QLatin1Char(']'))
                ++m_pos;
            const QString literal = m_json.mid(start, m_pos - start).toString();
            valueItem->setText(literal);
            typeItem->setText(c == QLatin1Char('t') || c == QLatin1Char('f') ? QStringLiteral("boolean")
                    : c == QLatin1Char('n')                                  ? QStringLiteral("null")
                                                                             : QStringLiteral("number"));
        }
    }

    // At '{' or '['; consumes through the matching bracket and returns the number of children.
    int appendChildren(QStandardItem *parent)
    {
        const bool object = peek() == QLatin1Char('{');
        ++m_pos;
        int count = 0;
        while (m_pos < m_json.size() && !m_stopped) {
            skipSpace();
            if (peek() == QLatin1Char('}') || peek() == QLatin1Char(']')) {
                ++m_pos;
                break;
            }
            if (m_budget-- <= 0) {
                // The rest of the document is not parsed: a huge tree would take seconds to build.
                m_stopped = true;
                parent->appendRow({ item(QStringLiteral("…")),
                    item(QStringLiteral("the tree stops here; the Pretty and Hex tabs have the whole document")),
                    item(QString()) });
                break;
            }
            QString key;
            if (object) {
                key = escapedForDisplay(parseString(), false);
                skipSpace();
                ++m_pos; // ':'
            } else {
                key = QStringLiteral("[%1]").arg(count);
            }
            appendValue(parent, key);
            ++count;
            skipSpace();
            if (peek() == QLatin1Char(','))
                ++m_pos;
        }
        return count;
    }

    QStringView m_json;
    qsizetype m_pos = 0;
    int m_budget = 0;
    bool m_stopped = false;
};

QPlainTextEdit *makeTextPage()
{
    auto *edit = new QPlainTextEdit;
    edit->setReadOnly(true);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    edit->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    edit->setUndoRedoEnabled(false);
    return edit;
}

} // namespace

QString PayloadView::displayText(QByteArrayView bytes, qint64 *firstInvalid)
{
    QString out;
    out.reserve(bytes.size());
    qint64 invalid = -1;
    const auto *p = reinterpret_cast<const uchar *>(bytes.data());
    const qsizetype n = bytes.size();
    qsizetype i = 0;
    while (i < n) {
        const uchar b = p[i];
        if (b >= 0x20 && b < 0x7F) {
            qsizetype j = i + 1;
            while (j < n && p[j] >= 0x20 && p[j] < 0x7F)
                ++j;
            out += QLatin1String(reinterpret_cast<const char *>(p + i), j - i);
            i = j;
            continue;
        }
        if (b < 0x80) {
            appendCodePoint(out, b, true);
            ++i;
            continue;
        }
        const int len = b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0;
        if (len > 0 && i + len <= n && Utf8Validator::isValid(bytes.sliced(i, len))) {
            char32_t cp = b & (0xFF >> (len + 1));
            for (int k = 1; k < len; ++k)
                cp = (cp << 6) | (p[i + k] & 0x3F);
            appendCodePoint(out, cp, true);
            i += len;
            continue;
        }
        if (invalid < 0)
            invalid = i;
        out += QStringLiteral("\\x%1").arg(uint(b), 2, 16, QLatin1Char('0'));
        ++i;
    }
    if (firstInvalid)
        *firstInvalid = invalid;
    return out;
}

PayloadView::PayloadView(QWidget *parent)
    : QWidget(parent)
{
    m_note = new QLabel;
    m_note->setTextFormat(Qt::PlainText);
    m_note->setWordWrap(true);
    m_note->setContentsMargins(4, 2, 4, 2);
    m_note->hide();

    m_text = makeTextPage();
    m_pretty = makeTextPage();
    m_tree = new QTreeView;
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_tree->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_jsonModel = new QStandardItemModel(this);
    m_tree->setModel(m_jsonModel);
    m_hex = new FrameHexView;

    m_text->setObjectName(QStringLiteral("text"));
    m_pretty->setObjectName(QStringLiteral("pretty"));
    m_tree->setObjectName(QStringLiteral("tree"));
    m_hex->setObjectName(QStringLiteral("hex"));

    m_tabs = new QTabWidget;
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_text, QStringLiteral("Text"));
    m_tabs->addTab(m_pretty, QStringLiteral("Pretty"));
    m_tabs->addTab(m_tree, QStringLiteral("Tree"));
    m_tabs->addTab(m_hex, QStringLiteral("Hex"));
    connect(m_tabs->tabBar(), &QTabBar::tabBarClicked, this, [this](int index) { m_userTab = index; });
    connect(m_tabs, &QTabWidget::currentChanged, this, &PayloadView::buildPending);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_note);
    layout->addWidget(m_tabs, 1);

    clear();
}

PayloadView::~PayloadView() = default;

void PayloadView::setTextLimit(qint64 bytes)
{
    m_textLimit = qMax<qint64>(1, bytes);
}

void PayloadView::clear()
{
    m_text->clear();
    m_pretty->clear();
    m_jsonModel->clear();
    m_hex->clear();
    m_isJson = false;
    m_truncated = false;
    m_json.clear();
    m_prettyPending = false;
    m_treePending = false;
    setNote(QString());
    m_tabs->setTabText(int(Tab::Text), QStringLiteral("Text"));
    setTabShown(Tab::Text, true);
    setTabShown(Tab::Pretty, false);
    setTabShown(Tab::Tree, false);
    setTabShown(Tab::Hex, true);
}

void PayloadView::setPayload(quint8 opcode, const QByteArray &payload)
{
    clear();
    m_hex->setFrame(QByteArray(), payload);
    switch (opcode) {
    case Opcode::Close:
        showClose(payload);
        break;
    case Opcode::Binary:
        setTabShown(Tab::Text, false);
        setNote(payload.isEmpty() ? QStringLiteral("Empty payload.") : QString());
        chooseTab(Tab::Hex);
        break;
    default:
        // Text, continuation, ping, pong and reserved opcodes: text when the bytes are text.
        showText(opcode, payload);
    }
}

void PayloadView::showText(quint8 opcode, const QByteArray &payload)
{
    if (payload.isEmpty()) {
        setNote(QStringLiteral("Empty payload."));
        chooseTab(Tab::Text);
        return;
    }
    QByteArrayView shown = utf8Prefix(payload, m_textLimit);
    const bool longLines = longestLine(shown) > kLongLine;
    if (longLines)
        shown = utf8Prefix(shown, qMin(m_textLimit, LongLineTextLimit));
    m_truncated = shown.size() < payload.size();
    qint64 firstInvalid = -1;
    setPlainTextWrapped(m_text, displayText(shown, &firstInvalid));

    // JSON views get the whole payload when it is within the limit, even when long lines cut the
    // Text tab shorter: re-indented JSON has short lines.
    const bool jsonCandidate = firstInvalid < 0 && payload.size() <= m_textLimit && opcode != Opcode::Ping
        && opcode != Opcode::Pong && (!m_truncated || Utf8Validator::isValid(payload));
    const bool json = jsonCandidate && showJson(payload);

    QStringList notes;
    if (m_truncated) {
        const QString what = QStringLiteral("the first %1 of %2%3")
                                 .arg(SizeFormat::rounded(shown.size()), SizeFormat::rounded(payload.size()),
                                     longLines ? QStringLiteral(" (very long lines)") : QString());
        notes << (json ? QStringLiteral("The Text tab shows %1; Pretty, Tree and Hex have all of it.").arg(what)
                       : QStringLiteral("Showing %1 — the full payload is in the Hex tab.").arg(what));
    }
    if (firstInvalid >= 0) {
        notes << QStringLiteral("Not valid UTF-8 (first bad byte at offset %1): bytes that are not UTF-8 are "
                                "shown as \\xNN.")
                     .arg(firstInvalid);
        if (opcode == Opcode::Text)
            notes.last() += QStringLiteral(" A text message must be valid UTF-8 (RFC 6455 §8.1).");
    }
    setNote(notes.join(QLatin1Char(' ')));

    chooseTab(firstInvalid >= 0 ? Tab::Hex : json ? Tab::Pretty : Tab::Text);
}

bool PayloadView::showJson(const QByteArray &payload)
{
    // Only objects and arrays are worth a tree; a bare "42" or "true" is plain text.
    qsizetype first = 0;
    while (first < payload.size() && QChar::isSpace(uchar(payload.at(first))))
        ++first;
    if (first == payload.size() || (payload.at(first) != '{' && payload.at(first) != '['))
        return false;
    QJsonParseError error;
    QJsonDocument::fromJson(payload, &error);
    if (error.error != QJsonParseError::NoError)
        return false;
    // Pretty and Tree are filled when first shown: browsing large JSON messages in the Text or Hex
    // tab does not pay for views nobody looks at.
    m_isJson = true;
    m_json = payload;
    m_prettyPending = true;
    m_treePending = true;
    setTabShown(Tab::Pretty, true);
    setTabShown(Tab::Tree, true);
    return true;
}

void PayloadView::buildPending(int index)
{
    if (index == int(Tab::Pretty) && m_prettyPending) {
        m_prettyPending = false;
        QString pretty = escapedForDisplay(reindentJson(QString::fromUtf8(m_json)), true);
        // Every line is a text block, and QPlainTextEdit spends about a second per 200 000 of them.
        if (pretty.size() > m_textLimit) {
            const qsizetype cut = qMax<qsizetype>(0, pretty.lastIndexOf(QLatin1Char('\n'), m_textLimit));
            const qsizetype lines = pretty.count(QLatin1Char('\n')) + 1;
            pretty.truncate(cut);
            const qsizetype shownLines = pretty.count(QLatin1Char('\n')) + 1;
            QString note = m_note->text();
            if (!note.isEmpty())
                note += QLatin1Char(' ');
            setNote(note
                + QStringLiteral("Pretty shows the first %1 of %2 lines — the full payload is in the Hex tab.")
                      .arg(shownLines)
                      .arg(lines));
        }
        setPlainTextWrapped(m_pretty, pretty);
    } else if (index == int(Tab::Tree) && m_treePending) {
        m_treePending = false;
        auto *model = new QStandardItemModel(this);
        model->setHorizontalHeaderLabels({ QStringLiteral("Key"), QStringLiteral("Value"), QStringLiteral("Type") });
        const QString json = QString::fromUtf8(m_json);
        JsonTreeBuilder(json, TreeRowLimit).build(model->invisibleRootItem());
        m_tree->setModel(model);
        delete m_jsonModel;
        m_jsonModel = model;
        if (model->rowCount() <= 100)
            m_tree->expandToDepth(0);
        m_tree->header()->resizeSection(0, m_tree->fontMetrics().horizontalAdvance(QLatin1Char('x')) * 24);
    }
}

void PayloadView::showClose(const QByteArray &payload)
{
    m_tabs->setTabText(int(Tab::Text), QStringLiteral("Close"));
    QString text;
    if (payload.isEmpty()) {
        text = QStringLiteral("No status code.\nThe close frame is empty; the receiving API reports %1.")
                   .arg(CloseCodes::label(CloseCodes::NoStatusReceived));
    } else if (payload.size() == 1) {
        text = QStringLiteral("Malformed close payload: 1 byte cannot hold a 2-byte status code.\n"
                              "A strict peer fails the connection with %1.")
                   .arg(CloseCodes::label(CloseCodes::ProtocolError));
    } else {
        const ClosePayload close = ClosePayload::parse(payload);
        const CloseCodeInfo info = CloseCodes::info(close.code);
        text = QStringLiteral("Status code: %1 %2\n%3").arg(close.code).arg(info.name, info.meaning);
        if (!info.validOnWire) {
            text += QStringLiteral("\nThis code may not appear in a close frame; a strict peer fails the connection "
                                   "with %1.")
                        .arg(CloseCodes::label(CloseCodes::ProtocolError));
        }
        if (close.reason.isEmpty()) {
            text += QStringLiteral("\nNo reason given.");
        } else {
            qint64 firstInvalid = -1;
            text += QStringLiteral("\nReason (%1): %2")
                        .arg(SizeFormat::rounded(close.reason.size()), displayText(close.reason, &firstInvalid));
            if (firstInvalid >= 0) {
                setNote(QStringLiteral("The close reason is not valid UTF-8 (from reason byte %1); a strict peer "
                                       "fails the connection with %2.")
                            .arg(firstInvalid)
                            .arg(CloseCodes::label(CloseCodes::InvalidPayloadData)));
            }
        }
    }
    m_text->setPlainText(text);
    chooseTab(Tab::Text);
}

void PayloadView::setTabShown(Tab tab, bool shown)
{
    m_tabs->setTabVisible(int(tab), shown);
}

void PayloadView::setNote(const QString &note)
{
    m_note->setText(note);
    m_note->setVisible(!note.isEmpty());
}

void PayloadView::chooseTab(Tab preferred)
{
    // Keep the tab the user picked last when this payload has it (browsing JSON messages in the tree).
    if (m_userTab >= 0 && m_tabs->isTabVisible(m_userTab) && preferred != Tab::Hex)
        m_tabs->setCurrentIndex(m_userTab);
    else
        m_tabs->setCurrentIndex(int(preferred));
    buildPending(m_tabs->currentIndex()); // currentChanged() does not fire when the index stays
}

bool PayloadView::hasTab(Tab tab) const
{
    return m_tabs->isTabVisible(int(tab));
}

PayloadView::Tab PayloadView::currentTab() const
{
    return Tab(m_tabs->currentIndex());
}

void PayloadView::setCurrentTab(Tab tab)
{
    if (hasTab(tab))
        m_tabs->setCurrentIndex(int(tab));
}

QString PayloadView::text() const
{
    return m_text->toPlainText();
}

QString PayloadView::prettyJson()
{
    buildPending(int(Tab::Pretty));
    return m_pretty->toPlainText();
}

QAbstractItemModel *PayloadView::jsonModel()
{
    buildPending(int(Tab::Tree));
    return m_jsonModel;
}

QString PayloadView::note() const
{
    return m_note->text();
}
