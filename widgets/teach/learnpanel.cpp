#include "teach/learnpanel.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QRegularExpression>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QVBoxLayout>

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
    { Glossary::SocketIo, QT_TRANSLATE_NOOP("LearnPanel", "Libraries on top") },
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

} // namespace

LearnPanel::LearnPanel(QWidget *parent)
    : QWidget(parent)
{
    m_list = new QListWidget;
    m_list->setObjectName(QStringLiteral("topicList"));
    m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_list->setTextElideMode(Qt::ElideRight);
    QFont headingFont = m_list->font();
    headingFont.setBold(true);
    for (const GlossaryEntry &entry : Glossary::entries()) {
        for (const Group &g : kGroups) {
            if (entry.id == g.firstTopic) {
                auto *heading = new QListWidgetItem(tr(g.heading));
                heading->setFlags(Qt::ItemIsEnabled); // shown normally, never selected
                heading->setFont(headingFont);
                m_list->addItem(heading);
            }
        }
        auto *item = new QListWidgetItem(QStringLiteral("   ") + entry.title);
        item->setData(IdRole, entry.id);
        m_list->addItem(item);
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
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.2);
    m_title->setFont(titleFont);
    m_reference = plainLabel(QStringLiteral("topicReference"));
    QFont small = m_reference->font();
    small.setItalic(true);
    m_reference->setFont(small);
    m_body = plainLabel(QStringLiteral("topicBody"));
    m_browserTitle = new QLabel(tr("In the browser"));
    m_browserTitle->setTextFormat(Qt::PlainText);
    QFont bold = m_browserTitle->font();
    bold.setBold(true);
    m_browserTitle->setFont(bold);
    m_browser = plainLabel(QStringLiteral("topicBrowser"));
    m_browser->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    textLayout->addWidget(m_title);
    textLayout->addWidget(m_reference);
    textLayout->addWidget(m_body);
    textLayout->addSpacing(4);
    textLayout->addWidget(m_browserTitle);
    textLayout->addWidget(m_browser);
    textLayout->addStretch(1);

    auto *scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
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
    const GlossaryEntry entry = Glossary::entry(id);
    if (!entry.isValid())
        return false;
    if (entry.id == m_current.id)
        return true;
    m_current = entry;
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

void LearnPanel::showEntry(const GlossaryEntry &entry)
{
    m_title->setText(entry.title);
    m_reference->setText(entry.rfc);
    // A sentence that starts with a state ("1 OPEN: ...") starts a line, so the four readyState
    // values read as a list.
    static const QRegularExpression stateSentence(QStringLiteral("\\. (?=\\d [A-Z]{4,}:)"));
    QString body = entry.text;
    body.replace(stateSentence, QStringLiteral(".\n"));
    m_body->setText(body);
    m_browser->setText(entry.inBrowser);
    m_browserTitle->setVisible(!entry.inBrowser.isEmpty());
    m_browser->setVisible(!entry.inBrowser.isEmpty());
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
