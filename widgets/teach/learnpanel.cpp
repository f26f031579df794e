#include "teach/learnpanel.h"

#include "decode/decoded.h"
#include "teach/protocolexamples.h"
#include "teach/protocolnotes.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QEvent>
#include <QFontDatabase>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPainter>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QTextLayout>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtMath>

namespace {

constexpr int IdRole = Qt::UserRole;

// Group headings, placed before the topic that opens each group in the glossary's reading order.
struct Group {
    QLatin1String firstTopic;
    const char *heading;
};
constexpr Group kGroups[] = {
    { Glossary::Events, QT_TRANSLATE_NOOP("LearnPanel", "The browser API") },
    { Glossary::CloseCodesOverview, QT_TRANSLATE_NOOP("LearnPanel", "Closing: codes and wasClean") },
    { Glossary::OpeningHandshake, QT_TRANSLATE_NOOP("LearnPanel", "The opening handshake") },
    { Glossary::Opcodes, QT_TRANSLATE_NOOP("LearnPanel", "Frames on the wire") },
    { Glossary::SocketIo, QT_TRANSLATE_NOOP("LearnPanel", "Protocols on top of WebSocket") },
};

QLabel *plainLabel(const QString &objectName)
{
    auto *label = new QLabel;
    label->setObjectName(objectName);
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    return label;
}

// Plain text that wraps anywhere when a word is longer than the line (compact JSON, hex, a
// Socket.IO packet), which QLabel cannot do: it would widen the dock or cut the text off. Its
// height follows its width, like a word-wrapped label's. The text is drawn as given, never
// interpreted; "Copy" in its context menu copies it.
class WrappedText : public QWidget {
public:
    explicit WrappedText(const QString &text, const QString &objectName)
        : m_text(text)
    {
        setObjectName(objectName);
        setProperty("plainText", text); // for tests and tools: what is drawn
        setAccessibleDescription(text);
        QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Preferred);
        policy.setHeightForWidth(true);
        setSizePolicy(policy);
        setContextMenuPolicy(Qt::ActionsContextMenu);
        auto *copy = new QAction(LearnPanel::tr("Copy"), this);
        connect(copy, &QAction::triggered, this, [this] { QApplication::clipboard()->setText(m_text); });
        addAction(copy);
    }

    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override { return layoutHeight(width, nullptr); }
    QSize sizeHint() const override
    {
        const int width = fontMetrics().averageCharWidth() * 40;
        return { width, heightForWidth(width) };
    }
    QSize minimumSizeHint() const override
    {
        // Never what widens the dock: a few characters, and as tall as that width needs.
        const int width = fontMetrics().averageCharWidth() * 8;
        return { width, fontMetrics().lineSpacing() };
    }

protected:
    void paintEvent(QPaintEvent *) override
    {
        QPainter painter(this);
        painter.setPen(palette().color(foregroundRole()));
        layoutHeight(width(), &painter);
    }
    void changeEvent(QEvent *event) override
    {
        if (event->type() == QEvent::FontChange)
            updateGeometry();
        QWidget::changeEvent(event);
    }

private:
    // Lays the text out in `width` and returns its height; draws it too when given a painter.
    int layoutHeight(int width, QPainter *painter) const
    {
        width = qMax(width, 1);
        QTextOption option;
        option.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
        const QFontMetricsF metrics(font());
        qreal y = 0;
        const QStringList paragraphs = m_text.split(QLatin1Char('\n'));
        for (const QString &paragraph : paragraphs) {
            QTextLayout layout(paragraph, font(), this);
            layout.setTextOption(option);
            layout.beginLayout();
            for (QTextLine line = layout.createLine(); line.isValid(); line = layout.createLine()) {
                line.setLineWidth(width);
                line.setPosition(QPointF(0, y));
                y += qMax(line.height(), metrics.lineSpacing());
            }
            layout.endLayout();
            if (paragraph.isEmpty() && layout.lineCount() == 0)
                y += metrics.lineSpacing();
            if (painter)
                layout.draw(painter, QPointF(0, 0));
        }
        return qCeil(y);
    }

    QString m_text;
};

QFont boldFont(QFont font)
{
    font.setBold(true);
    return font;
}

} // namespace

LearnPanel::LearnPanel(QWidget *parent)
    : QWidget(parent)
{
    m_list = new QListWidget;
    m_list->setObjectName(QStringLiteral("topicList"));
    m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_list->setTextElideMode(Qt::ElideRight);
    const QFont headingFont = boldFont(m_list->font());
    const auto addTopic = [this](const QString &id, const QString &title) {
        auto *item = new QListWidgetItem(QStringLiteral("   ") + title);
        item->setData(IdRole, id);
        m_list->addItem(item);
    };
    for (const GlossaryEntry &entry : Glossary::entries()) {
        for (const Group &g : kGroups) {
            if (entry.id == g.firstTopic) {
                auto *heading = new QListWidgetItem(tr(g.heading));
                heading->setFlags(Qt::ItemIsEnabled); // shown normally, never selected
                heading->setFont(headingFont);
                m_list->addItem(heading);
            }
        }
        // The protocols on top: the overview first, then "Socket.IO is not plain WebSocket" (the
        // glossary's last topic), then one note per protocol.
        if (entry.id == Glossary::SocketIo) {
            const ProtocolNote overview = ProtocolNotes::note(ProtocolNotes::Overview);
            addTopic(overview.id, overview.title);
            addTopic(entry.id, entry.title);
            for (const ProtocolNote &note : ProtocolNotes::notes())
                if (note.id != ProtocolNotes::Overview)
                    addTopic(note.id, note.title);
            continue;
        }
        addTopic(entry.id, entry.title);
    }
    connect(m_list, &QListWidget::currentItemChanged, this, [this](QListWidgetItem *item) {
        if (item)
            setTopic(item->data(IdRole).toString());
    });

    // Any close code, not only the listed ones: what a peer or an API reported.
    m_code = new QSpinBox;
    m_code->setObjectName(QStringLiteral("closeCodeBox"));
    m_code->setRange(0, 65535);
    m_code->setValue(1000);
    m_code->setToolTip(tr("Type any close code to see what it means and who may send it."));
    auto *codeLabel = new QLabel(tr("Look up a close &code:"));
    codeLabel->setBuddy(m_code);
    connect(
        m_code, &QSpinBox::valueChanged, this, [this](int code) { setTopic(Glossary::closeCodeTopic(quint16(code))); });
    auto *codeRow = new QHBoxLayout;
    codeRow->addWidget(codeLabel);
    codeRow->addWidget(m_code);
    codeRow->addStretch(1);

    auto *top = new QWidget;
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(m_list, 1);
    topLayout->addLayout(codeRow);

    auto *text = new QWidget;
    text->setObjectName(QStringLiteral("topicText"));
    auto *textLayout = new QVBoxLayout(text);
    m_title = plainLabel(QStringLiteral("topicTitle"));
    QFont titleFont = boldFont(m_title->font());
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.2);
    m_title->setFont(titleFont);
    m_reference = plainLabel(QStringLiteral("topicReference"));
    QFont small = m_reference->font();
    small.setItalic(true);
    m_reference->setFont(small);
    m_body = plainLabel(QStringLiteral("topicBody"));
    m_browserTitle = new QLabel(tr("In the browser"));
    m_browserTitle->setObjectName(QStringLiteral("topicBrowserCaption"));
    m_browserTitle->setTextFormat(Qt::PlainText);
    m_browserTitle->setFont(boldFont(m_browserTitle->font()));
    m_browser = plainLabel(QStringLiteral("topicBrowser"));
    m_browser->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));

    // The connection's own messages, under a protocol's note.
    m_examples = new ProtocolExamples(this);
    m_examplesBox = new QWidget;
    m_examplesBox->setObjectName(QStringLiteral("examples"));
    auto *examplesLayout = new QVBoxLayout(m_examplesBox);
    examplesLayout->setContentsMargins(0, 4, 0, 0);
    m_examplesTitle = new QLabel;
    m_examplesTitle->setTextFormat(Qt::PlainText);
    m_examplesTitle->setFont(boldFont(m_examplesTitle->font()));
    m_examplesStatus = plainLabel(QStringLiteral("examplesStatus"));
    m_readActive = new QPushButton;
    m_readActive->setObjectName(QStringLiteral("readActiveProtocol"));
    connect(m_readActive, &QPushButton::clicked, this,
        [this] { setTopic(ProtocolNotes::noteFor(m_examples->protocol())); });
    auto *readRow = new QHBoxLayout;
    readRow->addWidget(m_readActive);
    readRow->addStretch(1);
    m_cardsLayout = new QVBoxLayout;
    m_cardsLayout->setContentsMargins(0, 0, 0, 0);
    examplesLayout->addWidget(m_examplesTitle);
    examplesLayout->addWidget(m_examplesStatus);
    examplesLayout->addLayout(readRow);
    examplesLayout->addLayout(m_cardsLayout);
    connect(m_examples, &QAbstractItemModel::modelReset, this, &LearnPanel::updateExamples);
    connect(m_examples, &QAbstractItemModel::rowsInserted, this, &LearnPanel::updateExamples);

    textLayout->addWidget(m_title);
    textLayout->addWidget(m_reference);
    textLayout->addWidget(m_body);
    textLayout->addSpacing(4);
    textLayout->addWidget(m_browserTitle);
    textLayout->addWidget(m_browser);
    textLayout->addWidget(m_examplesBox);
    textLayout->addStretch(1);

    auto *scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff); // everything here wraps
    scroll->setFrameShape(QFrame::StyledPanel);
    scroll->setWidget(text);

    auto *splitter = new QSplitter(Qt::Vertical);
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(top);
    splitter->addWidget(scroll);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);

    setTopic(Glossary::Events);
}

bool LearnPanel::setTopic(const QString &id)
{
    GlossaryEntry entry = Glossary::entry(id);
    bool note = false;
    if (!entry.isValid()) {
        const ProtocolNote n = ProtocolNotes::note(id);
        if (!n.isValid())
            return false;
        note = true;
        m_noteName = n.name;
        entry = GlossaryEntry { n.id, n.title, n.paragraphs.join(QStringLiteral("\n\n")), n.reference, n.inCode };
    }
    if (entry.id == m_current.id)
        return true;
    m_current = entry;
    m_isNote = note;
    showEntry(entry);

    // Keep the list and the code box in step with a topic set from outside.
    QListWidgetItem *match = nullptr;
    for (int row = 0; row < m_list->count() && !match; ++row) {
        if (m_list->item(row)->data(IdRole).toString() == entry.id)
            match = m_list->item(row);
    }
    {
        const QSignalBlocker blocker(m_list);
        m_list->setCurrentItem(match);
        if (!match)
            m_list->clearSelection();
        else
            m_list->scrollToItem(match);
    }
    static const QString closePrefix = QStringLiteral("close-");
    if (entry.id.startsWith(closePrefix)) {
        const QSignalBlocker blocker(m_code);
        m_code->setValue(QStringView(entry.id).sliced(closePrefix.size()).toInt());
    }
    Q_EMIT topicChanged(entry.id);
    return true;
}

void LearnPanel::setDecoding(ProtocolDecoding *decoding)
{
    m_examples->setDecoding(decoding);
    updateExamples();
}

void LearnPanel::showEntry(const GlossaryEntry &entry)
{
    m_title->setText(entry.title);
    m_reference->setText(entry.rfc);
    QString body = entry.text;
    if (!m_isNote) {
        // A sentence that starts with a state ("1 OPEN: ...") starts a line, so the four readyState
        // values read as a list.
        static const QRegularExpression stateSentence(QStringLiteral("\\. (?=\\d [A-Z]{4,}:)"));
        body.replace(stateSentence, QStringLiteral(".\n"));
    }
    m_body->setText(body);
    m_browserTitle->setText(m_isNote ? tr("In code") : tr("In the browser"));
    m_browser->setText(entry.inBrowser);
    m_browserTitle->setVisible(!entry.inBrowser.isEmpty());
    m_browser->setVisible(!entry.inBrowser.isEmpty());
    updateExamples();
}

void LearnPanel::clearCards()
{
    // Later, not now: this may run from inside a card's own button (a topic chosen from it).
    for (QWidget *card : std::as_const(m_cards)) {
        m_cardsLayout->removeWidget(card);
        card->hide();
        card->deleteLater();
    }
    m_cards.clear();
}

void LearnPanel::updateExamples()
{
    clearCards();
    if (!m_isNote) {
        m_examplesBox->hide();
        return;
    }
    const Decode::Protocol active = m_examples->protocol();
    const QString activeNote = ProtocolNotes::noteFor(active);
    const QString activeName = Decode::protocolName(active);
    const bool connected = m_examples->decoding() != nullptr;
    // The note of another protocol than the connection's offers a way to the right one.
    m_readActive->setVisible(active != Decode::Protocol::None && activeNote != m_current.id);
    m_readActive->setText(tr("Read about %1").arg(activeName));

    if (m_current.id == ProtocolNotes::Overview) {
        m_examplesTitle->setText(tr("This connection"));
        if (!connected)
            m_examplesStatus->setText(tr("No connection is selected."));
        else if (active == Decode::Protocol::None)
            m_examplesStatus->setText(tr("No protocol on top has been found in this connection's messages yet. If you "
                                         "know which one it speaks, choose it with the Decode button above the log."));
        else if (const QString why = m_examples->reason(); !why.isEmpty())
            m_examplesStatus->setText(tr("Its messages are read as %1, found from %2.").arg(activeName, why));
        else
            m_examplesStatus->setText(tr("Its messages are read as %1.").arg(activeName));
        m_examplesBox->show();
        return;
    }

    m_examplesTitle->setText(tr("From this connection"));
    const QString &noteName = m_noteName;
    if (!connected) {
        m_examplesStatus->setText(
            tr("Open or select a connection that speaks %1: its first messages of each kind appear here.")
                .arg(noteName));
    } else if (active == Decode::Protocol::None) {
        m_examplesStatus->setText(tr("Examples from this connection appear here once its messages are read as %1. "
                                     "The Decode button above the log finds the protocol, or lets you choose it.")
                                      .arg(noteName));
    } else if (activeNote != m_current.id) {
        m_examplesStatus->setText(tr("This connection's messages are read as %1, not %2.").arg(activeName, noteName));
    } else if (m_examples->rowCount() == 0) {
        m_examplesStatus->setText(tr("No %1 message on this connection yet.").arg(activeName));
    } else {
        m_examplesStatus->setText(
            tr("The first %1 message of each kind on this connection, as it was sent and as it was read:")
                .arg(activeName));
        const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
        for (const ProtocolExamples::Example &e : m_examples->examples()) {
            auto *card = new QFrame;
            card->setObjectName(QStringLiteral("exampleCard"));
            card->setFrameShape(QFrame::StyledPanel);
            auto *cardLayout = new QVBoxLayout(card);
            cardLayout->setContentsMargins(6, 4, 6, 6);
            cardLayout->setSpacing(2);

            auto *kind = new QLabel(e.kind);
            kind->setObjectName(QStringLiteral("exampleKind"));
            kind->setTextFormat(Qt::PlainText);
            kind->setFont(boldFont(kind->font()));
            auto *where
                = new QLabel(tr("#%L1, %2").arg(e.captureIndex + 1).arg(ProtocolExamples::directionText(e.sender)));
            where->setObjectName(QStringLiteral("exampleWhere"));
            where->setTextFormat(Qt::PlainText);
            where->setEnabled(false); // a quieter colour
            auto *jump = new QToolButton;
            jump->setObjectName(QStringLiteral("exampleJump"));
            jump->setText(tr("Show in log"));
            jump->setToolTip(tr("Select message #%L1 in the log").arg(e.captureIndex + 1));
            jump->setAutoRaise(true);
            const qsizetype index = e.captureIndex;
            connect(jump, &QToolButton::clicked, this, [this, index] { Q_EMIT eventRequested(index); });
            auto *head = new QHBoxLayout;
            head->addWidget(kind);
            head->addWidget(where, 1);
            head->addWidget(jump);
            cardLayout->addLayout(head);

            // Both already in display form (the decoder's summary; the raw text from ProtocolExamples).
            cardLayout->addWidget(new WrappedText(e.summary, QStringLiteral("exampleSummary")));
            auto *raw = new WrappedText(e.raw, QStringLiteral("exampleRaw"));
            raw->setFont(mono);
            raw->setToolTip(e.binary ? tr("The message as sent: binary, in hex") : tr("The message as sent"));
            cardLayout->addWidget(raw);
            if (!e.note.isEmpty()) {
                auto *note = plainLabel(QStringLiteral("exampleNote"));
                note->setText(e.note);
                QFont italic = note->font();
                italic.setItalic(true);
                note->setFont(italic);
                cardLayout->addWidget(note);
            }
            m_cardsLayout->addWidget(card);
            m_cards.append(card);
        }
    }
    m_examplesBox->show();
}

QString LearnPanel::titleText() const
{
    return m_title->text();
}

QString LearnPanel::bodyText() const
{
    return m_body->text();
}

QString LearnPanel::referenceText() const
{
    return m_reference->text();
}

QString LearnPanel::browserText() const
{
    return m_browser->text();
}

QString LearnPanel::browserCaption() const
{
    return m_browserTitle->text();
}

QString LearnPanel::examplesText() const
{
    return m_examplesBox->isVisibleTo(this) ? m_examplesStatus->text() : QString();
}
