#include "teach/handshakewalkthroughview.h"

#include "common/palettecolors.h"

#include "teach/glossary.h"
#include "text/displaytext.h"

#include <QEvent>
#include <QFontDatabase>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

namespace {

using Stage = WalkthroughStep::Stage;

constexpr int MaxLinkChars = 90;

// The palette's link colour when it reads well on the window; palettes that keep the default blue
// on a dark window get a lighter blue.
QColor linkColor(const QPalette &palette)
{
    const QColor link = palette.color(QPalette::Link);
    if (PaletteColors::contrastRatio(link, palette.color(QPalette::Window)) >= 4.5)
        return link;
    return PaletteColors::isDark(palette) ? QColor(0x8a, 0xb4, 0xf8) : QColor(0x0b, 0x57, 0xd0);
}

QLabel *plainLabel(const QString &objectName, bool wrap = true)
{
    auto *label = new QLabel;
    label->setObjectName(objectName);
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(wrap);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    return label;
}

QLabel *sectionTitle(const QString &text)
{
    auto *label = new QLabel(text);
    label->setTextFormat(Qt::PlainText);
    QFont f = label->font();
    f.setBold(true);
    label->setFont(f);
    return label;
}

// Button text is parsed for '&' mnemonics; peer bytes must not be.
QString buttonText(const QString &text)
{
    QString shown = text.size() > MaxLinkChars ? text.first(MaxLinkChars - 1) + QStringLiteral("…") : text;
    return shown.replace(QLatin1Char('&'), QStringLiteral("&&"));
}

QToolButton *linkButton(const QString &objectName, const QString &text)
{
    auto *button = new QToolButton;
    button->setObjectName(objectName);
    button->setAutoRaise(true);
    button->setToolButtonStyle(Qt::ToolButtonTextOnly);
    button->setCursor(Qt::PointingHandCursor);
    button->setText(buttonText(text));
    button->setToolTip(DisplayText::toolTip(text));
    // Styled as a link: it is one, to bytes in another pane or to an explanation.
    QFont f = button->font();
    f.setUnderline(true);
    button->setFont(f);
    return button;
}

} // namespace

HandshakeWalkthroughView::HandshakeWalkthroughView(QWidget *parent)
    : QWidget(parent)
{
    // The five stages, the current one in bold: where in the handshake this card is.
    auto *stages = new QHBoxLayout;
    stages->setSpacing(6);
    for (int i = 1; i <= 5; ++i) {
        if (i > 1) {
            auto *arrow = new QLabel(QStringLiteral("›"));
            arrow->setTextFormat(Qt::PlainText);
            stages->addWidget(arrow);
        }
        auto *label = new QLabel(QStringLiteral("%1 %2").arg(i).arg(HandshakeWalkthrough::stageName(Stage(i))));
        label->setObjectName(QStringLiteral("stage%1").arg(i));
        label->setTextFormat(Qt::PlainText);
        stages->addWidget(label);
        m_stageLabels.append(label);
    }
    stages->addStretch(1);

    m_list = new QListWidget;
    m_list->setObjectName(QStringLiteral("stepList"));
    m_list->setTextElideMode(Qt::ElideRight);
    m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    const int icon = m_list->fontMetrics().height();
    m_list->setIconSize(QSize(icon, icon));
    connect(m_list, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row >= 0)
            setCurrentStep(row);
    });

    auto *card = new QWidget;
    card->setObjectName(QStringLiteral("stepCard"));
    auto *cardLayout = new QVBoxLayout(card);
    cardLayout->setSpacing(6);
    m_position = plainLabel(QStringLiteral("stepPosition"));
    m_title = plainLabel(QStringLiteral("stepTitle"));
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.2);
    m_title->setFont(titleFont);
    m_explanation = plainLabel(QStringLiteral("stepExplanation"));
    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_detailsTitle = sectionTitle(tr("Computed from this connection"));
    m_details = plainLabel(QStringLiteral("stepDetails"), false);
    m_details->setFont(fixed);
    m_browserTitle = sectionTitle(tr("In the browser"));
    m_browser = plainLabel(QStringLiteral("stepBrowser"));
    m_bytesTitle = sectionTitle(tr("The bytes (click to select them in the handshake pane)"));
    m_bytesLayout = new QVBoxLayout;
    m_bytesLayout->setSpacing(0);
    m_topicsTitle = sectionTitle(tr("Learn more"));
    m_topicsLayout = new QVBoxLayout;
    m_topicsLayout->setSpacing(0);

    cardLayout->addWidget(m_position);
    cardLayout->addWidget(m_title);
    cardLayout->addWidget(m_explanation);
    cardLayout->addSpacing(4);
    cardLayout->addWidget(m_bytesTitle);
    cardLayout->addLayout(m_bytesLayout);
    cardLayout->addWidget(m_detailsTitle);
    cardLayout->addWidget(m_details);
    cardLayout->addWidget(m_browserTitle);
    cardLayout->addWidget(m_browser);
    cardLayout->addWidget(m_topicsTitle);
    cardLayout->addLayout(m_topicsLayout);
    cardLayout->addStretch(1);

    auto *scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::StyledPanel);
    scroll->setWidget(card);

    auto *splitter = new QSplitter(Qt::Horizontal);
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(m_list);
    splitter->addWidget(scroll);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({ 260, 640 });

    m_back = new QPushButton(tr("‹ &Back"));
    m_back->setObjectName(QStringLiteral("backButton"));
    m_next = new QPushButton(tr("&Next ›"));
    m_next->setObjectName(QStringLiteral("nextButton"));
    m_counter = plainLabel(QStringLiteral("stepCounter"), false);
    connect(m_back, &QPushButton::clicked, this, &HandshakeWalkthroughView::back);
    connect(m_next, &QPushButton::clicked, this, &HandshakeWalkthroughView::next);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_back);
    buttons->addStretch(1);
    buttons->addWidget(m_counter);
    buttons->addStretch(1);
    buttons->addWidget(m_next);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(stages);
    layout->addWidget(splitter, 1);
    layout->addLayout(buttons);

    clear();
}

void HandshakeWalkthroughView::clear()
{
    setHandshake({}, {});
}

void HandshakeWalkthroughView::setHandshake(
    const QByteArray &request, const QByteArray &response, HandshakeWalkthrough::Transport transport)
{
    m_walkthrough = HandshakeWalkthrough(request, response, transport);
    m_current = m_walkthrough.isEmpty() ? -1 : 0;
    rebuildList();
    showStep();
}

void HandshakeWalkthroughView::rebuildList()
{
    const QSignalBlocker blocker(m_list);
    m_list->clear();
    const QIcon warning = style()->standardIcon(QStyle::SP_MessageBoxWarning);
    const QList<WalkthroughStep> &steps = m_walkthrough.steps();
    for (int i = 0; i < steps.size(); ++i) {
        // Which way the bytes went: request lines from the client, response lines from the server.
        QString direction;
        if (steps[i].stage == Stage::Request || steps[i].stage == Stage::RequestHeaders)
            direction = QStringLiteral("→ ");
        else if (steps[i].stage == Stage::Response)
            direction = QStringLiteral("← ");
        auto *item = new QListWidgetItem(QStringLiteral("%1. %2%3").arg(i + 1).arg(direction, steps[i].title));
        if (steps[i].warning)
            item->setIcon(warning);
        item->setToolTip(DisplayText::toolTip(steps[i].title));
        m_list->addItem(item);
    }
    m_list->setCurrentRow(m_current);
}

void HandshakeWalkthroughView::setCurrentStep(int index)
{
    if (index < 0 || index >= stepCount() || index == m_current)
        return;
    m_current = index;
    {
        const QSignalBlocker blocker(m_list);
        m_list->setCurrentRow(index);
    }
    showStep();
    Q_EMIT currentStepChanged(index);
    const WalkthroughStep &step = m_walkthrough.steps().at(index);
    if (!step.spans.isEmpty()) {
        const HandshakeSpan &s = step.spans.first();
        Q_EMIT highlightRequested(s.inResponse, s.offset, s.length);
    }
}

void HandshakeWalkthroughView::next()
{
    setCurrentStep(m_current + 1);
}

void HandshakeWalkthroughView::back()
{
    setCurrentStep(m_current - 1);
}

void HandshakeWalkthroughView::clearLinks()
{
    // Later, not now: the button being clicked may be the one whose signal led here.
    for (QToolButton *b : std::as_const(m_spanButtons) + std::as_const(m_topicButtons)) {
        b->hide();
        b->deleteLater();
    }
    m_spanButtons.clear();
    m_topicButtons.clear();
}

void HandshakeWalkthroughView::showStep()
{
    clearLinks();
    const bool empty = m_current < 0;
    m_back->setEnabled(!empty && m_current > 0);
    m_next->setEnabled(!empty && m_current + 1 < stepCount());

    if (empty) {
        m_position->clear();
        m_title->setText(tr("No handshake to walk through"));
        m_explanation->setText(tr("Select a connection: its opening handshake is explained here step by step, from "
                                  "the client's HTTP request to the first WebSocket frame, with the bytes it actually "
                                  "sent and received."));
        m_counter->clear();
        for (QLabel *w : { m_details, m_detailsTitle, m_browser, m_browserTitle, m_bytesTitle, m_topicsTitle })
            w->hide();
        applyColors();
        return;
    }

    const WalkthroughStep &step = m_walkthrough.steps().at(m_current);
    m_position->setText(
        tr("Step %1 of %2 · %3").arg(m_current + 1).arg(stepCount()).arg(HandshakeWalkthrough::stageName(step.stage)));
    m_counter->setText(tr("%1 / %2").arg(m_current + 1).arg(stepCount()));
    m_title->setText(step.title);
    m_explanation->setText(step.explanation);
    m_details->setText(step.details.join(QLatin1Char('\n')));
    m_details->setVisible(!step.details.isEmpty());
    m_detailsTitle->setVisible(!step.details.isEmpty());
    m_browser->setText(step.inBrowser);
    m_browser->setVisible(!step.inBrowser.isEmpty());
    m_browserTitle->setVisible(!step.inBrowser.isEmpty());

    for (int i = 0; i < step.spans.size(); ++i) {
        const HandshakeSpan &s = step.spans[i];
        const QString text = tr("%1, bytes %2–%3: %4")
                                 .arg(s.inResponse ? tr("response") : tr("request"))
                                 .arg(s.offset)
                                 .arg(s.offset + s.length - 1)
                                 .arg(s.text);
        QToolButton *button = linkButton(QStringLiteral("spanButton%1").arg(i), text);
        connect(button, &QToolButton::clicked, this,
            [this, s] { Q_EMIT highlightRequested(s.inResponse, s.offset, s.length); });
        m_bytesLayout->addWidget(button, 0, Qt::AlignLeft);
        m_spanButtons.append(button);
    }
    m_bytesTitle->setVisible(!step.spans.isEmpty());

    for (int i = 0; i < step.topics.size(); ++i) {
        const GlossaryEntry entry = Glossary::entry(step.topics[i]);
        if (!entry.isValid())
            continue;
        QToolButton *button = linkButton(QStringLiteral("topicButton%1").arg(i), entry.title);
        const QString id = entry.id;
        connect(button, &QToolButton::clicked, this, [this, id] { Q_EMIT topicRequested(id); });
        m_topicsLayout->addWidget(button, 0, Qt::AlignLeft);
        m_topicButtons.append(button);
    }
    m_topicsTitle->setVisible(!m_topicButtons.isEmpty());
    applyColors();
}

void HandshakeWalkthroughView::applyColors()
{
    const QPalette &pal = palette();
    QColor dim = pal.color(QPalette::WindowText);
    dim.setAlphaF(0.6f);
    const Stage current = m_current < 0 ? Stage(0) : m_walkthrough.steps().at(m_current).stage;
    for (int i = 0; i < m_stageLabels.size(); ++i) {
        QLabel *label = m_stageLabels[i];
        const bool here = int(current) == i + 1;
        QFont f = font();
        f.setBold(here);
        label->setFont(f);
        QPalette p = pal;
        p.setColor(QPalette::WindowText, here ? pal.color(QPalette::WindowText) : dim);
        label->setPalette(p);
    }
    QPalette positionPalette = pal;
    positionPalette.setColor(QPalette::WindowText, dim);
    m_position->setPalette(positionPalette);

    QPalette linkPalette = pal;
    linkPalette.setColor(QPalette::ButtonText, linkColor(pal));
    for (QToolButton *b : std::as_const(m_spanButtons) + std::as_const(m_topicButtons))
        b->setPalette(linkPalette);

    const bool warning = m_current >= 0 && m_walkthrough.steps().at(m_current).warning;
    QPalette titlePalette = pal;
    if (warning)
        titlePalette.setColor(QPalette::WindowText, PaletteColors::errorColor(pal));
    m_title->setPalette(titlePalette);
}

void HandshakeWalkthroughView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange)
        applyColors();
}

QString HandshakeWalkthroughView::titleText() const
{
    return m_title->text();
}

QString HandshakeWalkthroughView::explanationText() const
{
    return m_explanation->text();
}

QString HandshakeWalkthroughView::detailsText() const
{
    return m_details->isHidden() ? QString() : m_details->text();
}

QString HandshakeWalkthroughView::browserText() const
{
    return m_browser->isHidden() ? QString() : m_browser->text();
}
