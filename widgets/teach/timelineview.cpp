#include "teach/timelineview.h"

#include "log/protocoldecoding.h"
#include "text/sizeformat.h"

#include "common/palettecolors.h"
#include "log/messagelogmodel.h"
#include "text/displaytext.h"

#include <QHelpEvent>
#include <QKeyEvent>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QScrollBar>
#include <QToolButton>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <bit>
#include <limits>

namespace {
constexpr int kTopPad = 6;
constexpr int kLaneInset = 40; // from the time column to the client lane
constexpr int kRightArea = 150; // right of the server lane: brackets and their labels
constexpr int kMinLaneGap = 240;
constexpr int kBracketColumnWidth = 9;
constexpr int kMaxBracketColumns = 4;
constexpr int kHeadLength = 9;
constexpr qint64 kIdleMarkUs = 1'000'000; // a gap this long gets a dashed line and an "idle" note

using PaletteColors::mix;

// Seconds since the first event with microseconds: fixed width, so rows line up.
QString elapsedText(qint64 us)
{
    us = qMax<qint64>(0, us);
    return QStringLiteral("%1.%2").arg(us / 1'000'000).arg(us % 1'000'000, 6, 10, QLatin1Char('0'));
}

} // namespace

// The strip above the diagram: zoom and follow controls, and the lane titles that stay in place
// while the rows scroll.
class TimelineHeader : public QWidget {
public:
    explicit TimelineHeader(TimelineView *view)
        : QWidget(view)
        , m_view(view)
    {
    }

protected:
    void paintEvent(QPaintEvent *) override
    {
        QPainter painter(this);
        m_view->paintHeader(painter, rect());
    }

private:
    TimelineView *m_view;
};

TimelineView::TimelineView(QWidget *parent)
    : QAbstractScrollArea(parent)
{
    setFocusPolicy(Qt::StrongFocus);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    viewport()->setAutoFillBackground(false);

    m_header = new TimelineHeader(this);
    m_zoomOutButton = new QToolButton(m_header);
    m_zoomOutButton->setObjectName(QStringLiteral("zoomOut"));
    m_zoomOutButton->setText(QStringLiteral("\u2212"));
    m_zoomOutButton->setToolTip(tr("Zoom out: frames close in time share a row (Ctrl+\u2212)"));
    m_zoomInButton = new QToolButton(m_header);
    m_zoomInButton->setObjectName(QStringLiteral("zoomIn"));
    m_zoomInButton->setText(QStringLiteral("+"));
    m_zoomInButton->setToolTip(tr("Zoom in: expand bursts into their frames (Ctrl++)"));
    m_zoomLabel = new QLabel(m_header);
    m_zoomLabel->setObjectName(QStringLiteral("zoomLabel"));
    m_zoomLabel->setTextFormat(Qt::PlainText);
    m_followButton = new QToolButton(m_header);
    m_followButton->setObjectName(QStringLiteral("follow"));
    m_followButton->setText(tr("Follow"));
    m_followButton->setCheckable(true);
    m_followButton->setChecked(true);
    m_followButton->setToolTip(tr("Keep the newest events in view (End)"));
    connect(m_zoomOutButton, &QToolButton::clicked, this, &TimelineView::zoomOut);
    connect(m_zoomInButton, &QToolButton::clicked, this, &TimelineView::zoomIn);
    connect(m_followButton, &QToolButton::toggled, this, &TimelineView::setFollowing);
    connect(verticalScrollBar(), &QScrollBar::valueChanged, this, [this](int value) {
        // Scrolling by hand away from the bottom stops following; scrolling back to it resumes.
        if (!m_settingScroll)
            setFollowing(value >= verticalScrollBar()->maximum());
    });
    m_zoomLabel->setText(zoomText());
    m_zoomInButton->setEnabled(false); // one row per event already
    updateMetrics();
}

TimelineView::~TimelineView() = default;

void TimelineView::setModel(TimelineModel *model)
{
    if (m_model)
        m_model->disconnect(this);
    m_model = model;
    if (m_model) {
        connect(m_model, &TimelineModel::appended, this, &TimelineView::onAppended);
        connect(m_model, &TimelineModel::reset, this, &TimelineView::onReset);
        connect(m_model, &QObject::destroyed, this, [this] {
            // Forget it before anything asks the half-destroyed model for rows.
            m_model = nullptr;
            onReset();
        });
    }
    onReset();
}

void TimelineView::setDecoding(ProtocolDecoding *decoding)
{
    if (m_decoding)
        m_decoding->disconnect(this);
    m_decoding = decoding;
    if (m_decoding) {
        // What messages mean changes their labels and brackets, never the rows.
        connect(m_decoding, &ProtocolDecoding::reset, this, &TimelineView::invalidateLayout);
        connect(m_decoding, &ProtocolDecoding::appended, this, &TimelineView::invalidateLayout);
    }
    invalidateLayout();
}

void TimelineView::onReset()
{
    m_selected = -1;
    updateScrollBars();
    if (m_following)
        scrollToNewest();
    else
        setScrollPx(0);
    invalidateLayout();
}

void TimelineView::onAppended()
{
    updateScrollBars();
    if (m_following)
        scrollToNewest();
    invalidateLayout();
}

// --- zoom and scrolling ------------------------------------------------------------------------

QString TimelineView::zoomText() const
{
    if (m_level < 0)
        return tr("1 row per event");
    return tr("1 row = %1").arg(TimelineModel::formatDuration(TimelineModel::bucketUs(m_level)));
}

void TimelineView::zoomIn()
{
    setLevel(m_level - 1);
}

void TimelineView::zoomOut()
{
    setLevel(m_level + 1);
}

void TimelineView::setLevel(int level)
{
    setLevelAnchored(level, viewport()->height() / 2);
}

void TimelineView::setLevelAnchored(int level, int anchorY)
{
    level = qBound(int(TimelineModel::EveryEventLevel), level, int(TimelineModel::MaxLevel));
    if (level == m_level)
        return;
    // Keep the event under the anchor (or the selection, when it is on screen) where it is.
    qsizetype anchorEvent = -1;
    int anchorOffset = 0;
    if (m_model && !m_following) {
        if (const Shape *selected = shapeFor(m_selected)) {
            anchorEvent = m_selected;
            anchorY = selected->y;
            anchorOffset = selected->y - rowTop(selected->row);
        } else {
            const qsizetype rows = m_model->rowCount(m_level);
            const qsizetype row
                = qBound<qsizetype>(0, (scrollPx() + anchorY - kTopPad) / m_rowHeight, qMax<qsizetype>(0, rows - 1));
            anchorEvent = m_model->firstEventOfRow(m_level, row);
            anchorOffset = anchorY - rowTop(row);
        }
    }
    m_level = level;
    m_zoomLabel->setText(zoomText());
    m_zoomLabel->adjustSize();
    layoutHeader();
    m_zoomInButton->setEnabled(m_level > TimelineModel::EveryEventLevel);
    m_zoomOutButton->setEnabled(m_level < TimelineModel::MaxLevel);
    updateScrollBars();
    if (m_following) {
        scrollToNewest();
    } else if (anchorEvent >= 0) {
        const qsizetype row = m_model->rowOfEvent(m_level, anchorEvent);
        setScrollPx(kTopPad + qint64(row) * m_rowHeight + anchorOffset - anchorY);
    }
    invalidateLayout();
    Q_EMIT levelChanged(m_level);
}

void TimelineView::setFollowing(bool follow)
{
    if (m_following != follow) {
        m_following = follow;
        const QSignalBlocker blocker(m_followButton);
        m_followButton->setChecked(follow);
        Q_EMIT followingChanged(follow);
    }
    if (follow)
        scrollToNewest();
}

void TimelineView::scrollToNewest()
{
    setScrollPx(contentHeight());
}

qint64 TimelineView::contentHeight() const
{
    const qsizetype rows = m_model ? m_model->rowCount(m_level) : 0;
    return kTopPad + qint64(rows) * m_rowHeight + m_rowHeight / 2;
}

qint64 TimelineView::scrollPx() const
{
    return qint64(verticalScrollBar()->value()) * m_scrollUnit;
}

void TimelineView::setScrollPx(qint64 px)
{
    const QScrollBar *bar = verticalScrollBar();
    const qint64 value = std::clamp<qint64>(px / m_scrollUnit, bar->minimum(), bar->maximum());
    m_settingScroll = true;
    verticalScrollBar()->setValue(int(value));
    m_settingScroll = false;
    invalidateLayout();
}

void TimelineView::updateScrollBars()
{
    const int visible = viewport()->height();
    const qint64 maxPx = qMax<qint64>(0, contentHeight() - visible);
    // A scroll bar holds an int: content taller than that scrolls in steps of several pixels.
    constexpr qint64 limit = std::numeric_limits<int>::max() / 2;
    m_scrollUnit = maxPx > limit ? maxPx / limit + 1 : 1;
    m_settingScroll = true;
    verticalScrollBar()->setRange(0, int(maxPx / m_scrollUnit));
    verticalScrollBar()->setPageStep(int(qMax<qint64>(1, visible / m_scrollUnit)));
    verticalScrollBar()->setSingleStep(int(qMax<qint64>(1, m_rowHeight / m_scrollUnit)));
    m_settingScroll = false;
    invalidateLayout();
}

int TimelineView::rowTop(qsizetype row) const
{
    const qint64 y = kTopPad + qint64(row) * m_rowHeight - scrollPx();
    return int(std::clamp<qint64>(y, -1'000'000, 1'000'000));
}

qsizetype TimelineView::firstVisibleRow() const
{
    return qMax<qint64>(0, (scrollPx() - kTopPad) / m_rowHeight);
}

void TimelineView::selectEvent(qsizetype captureIndex)
{
    // The log may show an event a batch before the timeline has taken it in.
    if (m_model && m_model->capture() && captureIndex >= m_model->eventCount()
        && captureIndex < m_model->capture()->count())
        m_model->flushPending();
    if (!m_model || !m_model->capture() || captureIndex < 0 || captureIndex >= m_model->eventCount()) {
        m_selected = -1;
        viewport()->update();
        return;
    }
    m_selected = captureIndex;
    m_selectedDirection = m_model->capture()->event(captureIndex).direction;
    const qsizetype row = m_model->rowOfEvent(m_level, captureIndex);
    const int top = rowTop(row);
    if (top < 0 || top + m_rowHeight > viewport()->height()) {
        setScrollPx(kTopPad + qint64(row) * m_rowHeight - (viewport()->height() - m_rowHeight) / 2);
        // Looking at an older event stops following, as scrolling there by hand would.
        setFollowing(verticalScrollBar()->value() >= verticalScrollBar()->maximum());
    }
    invalidateLayout();
}

// --- geometry ----------------------------------------------------------------------------------

void TimelineView::updateMetrics()
{
    const QFontMetrics fm(font());
    m_lineHeight = fm.height();
    // Room for two labelled arrows (one each way) in a row, with air above and below.
    m_rowHeight = 2 * m_lineHeight + 20;
    const int buttonHeight = qMax(m_zoomInButton->sizeHint().height(), m_followButton->sizeHint().height());
    m_headerHeight = buttonHeight + 8 + m_lineHeight + 14;
    setViewportMargins(0, m_headerHeight, 0, 0);
    layoutHeader();
    updateScrollBars();
    updateGeometry();
}

void TimelineView::layoutHeader()
{
    const QRect vp = viewport()->geometry();
    m_header->setGeometry(vp.x(), vp.y() - m_headerHeight, vp.width(), m_headerHeight);
    const int h = m_zoomInButton->sizeHint().height();
    int x = 6;
    const int y = 4;
    for (QWidget *w : { static_cast<QWidget *>(m_zoomOutButton), static_cast<QWidget *>(m_zoomLabel),
             static_cast<QWidget *>(m_zoomInButton) }) {
        const QSize size = w->sizeHint();
        w->setGeometry(x, y + (h - size.height()) / 2, size.width(), size.height());
        x += size.width() + 6;
    }
    const QSize follow = m_followButton->sizeHint();
    m_followButton->setGeometry(qMax(x + 12, vp.width() - follow.width() - 6), y, follow.width(), follow.height());
    m_header->update();
}

int TimelineView::timeColumnWidth() const
{
    return QFontMetrics(font()).horizontalAdvance(QStringLiteral("0000.000000")) + 16;
}

int TimelineView::clientLaneX() const
{
    return timeColumnWidth() + kLaneInset;
}

int TimelineView::serverLaneX() const
{
    return qMax(clientLaneX() + kMinLaneGap, viewport()->width() - kRightArea);
}

int TimelineView::inspectorLaneX() const
{
    return (clientLaneX() + serverLaneX()) / 2;
}

QSize TimelineView::sizeHint() const
{
    return { timeColumnWidth() + kLaneInset + 420 + kRightArea, m_headerHeight + 12 * m_rowHeight };
}

QSize TimelineView::minimumSizeHint() const
{
    return { timeColumnWidth() + kLaneInset + kMinLaneGap + kRightArea / 2, m_headerHeight + 3 * m_rowHeight };
}

qsizetype TimelineView::visibleRowCount() const
{
    ensureLayout();
    return m_items.size();
}

qsizetype TimelineView::visibleShapeCount() const
{
    ensureLayout();
    return qsizetype(m_shapes.size());
}

qsizetype TimelineView::visibleBracketCount() const
{
    ensureLayout();
    return qsizetype(m_brackets.size());
}

void TimelineView::invalidateLayout()
{
    m_layoutValid = false;
    viewport()->update();
}

void TimelineView::ensureLayout() const
{
    if (m_layoutValid)
        return;
    m_layoutValid = true;
    m_items.clear();
    m_shapes.clear();
    m_brackets.clear();
    if (!m_model || !m_model->capture())
        return;
    const qsizetype count = viewport()->height() / m_rowHeight + 2;
    m_items = m_model->items(m_level, firstVisibleRow(), count);
    m_shapes.reserve(size_t(m_items.size()) * 2);
    for (const TimelineItem &item : std::as_const(m_items))
        addRowShapes(item, rowTop(item.row));
    addBrackets();
}

void TimelineView::addRowShapes(const TimelineItem &item, int top) const
{
    const QFontMetrics fm(font());
    const int fh = m_lineHeight;
    const int cx = clientLaneX();
    const int sx = serverLaneX();
    const int span = sx - cx;
    const bool closed = m_model->isClosed();
    const bool relayed = isRelayed();
    const int ix = inspectorLaneX();
    const auto centeredLabel = [&](int labelTop, const QString &text, int left = -1, int right = -1) {
        left = left < 0 ? cx : left;
        right = right < 0 ? sx : right;
        const int w = qMin(fm.horizontalAdvance(text) + 4, right - left - 16);
        return QRect(left + (right - left - w) / 2, labelTop, w, fh);
    };
    // On a relay, frames go all the way through the inspector's lane; what a leg alone carried
    // (its handshake) stays between the inspector and that side.
    const auto placeEnds = [&](Shape &s, bool throughTheRelay) {
        s.leftX = cx;
        s.rightX = sx;
        if (!relayed || s.index < 0)
            return;
        if (throughTheRelay) {
            s.throughX = ix;
            return;
        }
        const Leg leg = m_model->capture()->event(s.index).leg;
        if (leg == Leg::App)
            s.rightX = ix;
        else if (leg == Leg::Server)
            s.leftX = ix;
    };
    const auto withRelayDelay = [&](Shape &s) {
        if (!relayed || s.first != s.last)
            return;
        const QString relay = TimelineModel::relayDelayLabel(m_model->capture()->event(s.index).relayDelayUs);
        if (!relay.isEmpty())
            s.label += QStringLiteral(" \u00b7 ") + relay;
    };
    const auto withTime = [](QString label, qint64 sincePreviousUs) {
        if (sincePreviousUs >= 0)
            label += QStringLiteral(", +") + TimelineModel::formatDuration(sincePreviousUs);
        return label;
    };
    // One arrow centred in the row: its label above it.
    const int singleLabelTop = top + (m_rowHeight - fh - 8) / 2;
    const int singleY = singleLabelTop + fh + 5;

    Shape base;
    base.kind = item.kind;
    base.row = item.row;
    base.index = item.first;
    base.first = item.first;
    base.last = item.last;
    base.direction = item.direction;

    switch (item.kind) {
    case TimelineItem::Kind::Frames: {
        const TimelineLane &out = item.lane(Direction::Outgoing);
        const TimelineLane &in = item.lane(Direction::Incoming);
        const bool both = !out.isEmpty() && !in.isEmpty();
        // Both ways in one row: the outgoing label above its arrow, the incoming label below its own.
        const int outY = both ? top + fh + 8 : singleY;
        const int inY = both ? outY + 7 : singleY;
        for (const Direction d : { Direction::Outgoing, Direction::Incoming }) {
            const TimelineLane &lane = item.lane(d);
            if (lane.isEmpty())
                continue;
            Shape s = base;
            s.direction = d;
            s.type = lane.count == 1 ? Shape::Type::Arrow : Shape::Type::Burst;
            s.index = s.first = lane.first;
            s.last = lane.last;
            const qsizetype control = lane.byType[TimelineLane::Ping] + lane.byType[TimelineLane::Pong];
            s.tone = lane.byType[TimelineLane::Other] ? Shape::Tone::Bad
                : control == lane.count               ? Shape::Tone::Control
                                                      : Shape::Tone::Data;
            s.label = TimelineModel::laneLabel(lane);
            placeEnds(s, true);
            withRelayDelay(s);
            if (lane.count == 1) {
                s.opcode = lane.opcode;
                // A message of the protocol on top says what it is: "Socket.IO event \"chat\" …, 23 B".
                if (m_decoding && !Opcode::isControl(lane.opcode) && m_decoding->isDecodable(lane.first)) {
                    const QString meaning = m_decoding->decodedAt(lane.first).summary(1);
                    if (!meaning.isEmpty())
                        s.label = tr("%1 \u00b7 %2").arg(elidedMeaning(meaning), SizeFormat::compact(lane.bytes));
                }
                if (lane.opcode == Opcode::Ping || lane.opcode == Opcode::Pong) {
                    const PingPong pair = m_model->pingPong(lane.first);
                    // An answered pair gets a bracket with its round-trip time instead.
                    if (pair.status != PingPong::Status::Answered)
                        s.label += QStringLiteral(" \u00b7 ") + TimelineModel::pingPongLabel(pair, closed);
                }
            }
            const bool below = both && d == Direction::Incoming;
            s.y = d == Direction::Outgoing ? outY : inY;
            s.labelRect = centeredLabel(below ? s.y + 3 : s.y - 5 - fh, s.label);
            const int split = (outY + inY) / 2;
            const int hitTop = below ? split + 1 : s.labelRect.top() - 2;
            const int hitBottom = below ? s.labelRect.bottom() + 2 : (both ? split : s.y + 6);
            s.hitRect = QRect(QPoint(cx, hitTop), QPoint(sx, hitBottom));
            m_shapes.push_back(s);
        }
        return;
    }
    case TimelineItem::Kind::HandshakeRequest:
    case TimelineItem::Kind::HandshakeResponse:
    case TimelineItem::Kind::CloseFrame: {
        Shape s = base;
        s.type = Shape::Type::Arrow;
        if (item.kind == TimelineItem::Kind::CloseFrame) {
            s.tone = Shape::Tone::Close;
            s.opcode = Opcode::Close;
            QString label = m_model->itemLabel(item);
            const ClosingSummary closing = m_model->closingSummary();
            if (item.first == closing.firstCloseIndex)
                label += QStringLiteral(", ") + closing.initiatorText();
            s.label = withTime(label, item.sincePreviousUs);
            placeEnds(s, true);
            withRelayDelay(s);
        } else {
            const bool failed = item.kind == TimelineItem::Kind::HandshakeResponse && item.httpStatus != 101;
            s.tone = failed ? Shape::Tone::Bad : Shape::Tone::Handshake;
            s.label = withTime(m_model->itemLabel(item), item.sincePreviousUs);
            placeEnds(s, false);
        }
        s.y = singleY;
        s.labelRect = centeredLabel(singleLabelTop, s.label, s.leftX, s.rightX);
        s.hitRect = QRect(QPoint(s.leftX, s.labelRect.top() - 2), QPoint(s.rightX, s.y + 6));
        m_shapes.push_back(s);
        return;
    }
    case TimelineItem::Kind::Violation: {
        Shape s = base;
        s.type = Shape::Type::Marker;
        s.tone = Shape::Tone::Bad;
        s.label = m_model->itemLabel(item);
        s.y = top + m_rowHeight / 2;
        // Marked on the lane of the endpoint that saw the broken frame arrive.
        const bool atServer = item.direction == Direction::Outgoing;
        const int w = qMin(fm.horizontalAdvance(s.label) + 4, span - 24);
        s.labelRect = atServer ? QRect(sx - 14 - w, s.y - fh / 2, w, fh) : QRect(cx + 14, s.y - fh / 2, w, fh);
        const int laneX = atServer ? sx : cx;
        s.hitRect = s.labelRect.united(QRect(laneX - 8, s.y - 8, 16, 16)).adjusted(0, -2, 0, 2);
        m_shapes.push_back(s);
        return;
    }
    case TimelineItem::Kind::State:
    case TimelineItem::Kind::Error:
    case TimelineItem::Kind::Tls:
    case TimelineItem::Kind::Api:
    case TimelineItem::Kind::Intercept: {
        Shape s = base;
        s.type = Shape::Type::Box;
        s.label = m_model->itemLabel(item);
        if (item.kind == TimelineItem::Kind::Error)
            s.tone = Shape::Tone::Bad;
        else if (item.kind == TimelineItem::Kind::Tls)
            s.tone = Shape::Tone::Neutral;
        else if (item.kind == TimelineItem::Kind::Api)
            s.tone = Shape::Tone::Api;
        else if (item.kind == TimelineItem::Kind::Intercept)
            s.tone = Shape::Tone::Control;
        else if (item.state == ReadyState::Open)
            s.tone = Shape::Tone::Handshake;
        else if (item.state == ReadyState::Closing)
            s.tone = Shape::Tone::Close;
        else if (item.state == ReadyState::Closed)
            s.tone = item.wasClean ? Shape::Tone::Close : Shape::Tone::Bad;
        else
            s.tone = Shape::Tone::Neutral;
        s.y = top + m_rowHeight / 2;
        const int w = qMin(fm.horizontalAdvance(s.label) + 20, span - 8);
        // What an engine's API reported happened at the client: drawn against the client's lane.
        const int left = item.kind == TimelineItem::Kind::Api ? cx + 4 : cx + (span - w) / 2;
        s.labelRect = QRect(left, s.y - (fh + 6) / 2, w, fh + 6);
        s.hitRect = s.labelRect;
        m_shapes.push_back(s);
        return;
    }
    }
}

QString TimelineView::elidedMeaning(const QString &summary) const
{
    // Room for the arrow's label between the lanes, less the size that follows it.
    const int room = qMax(fontMetrics().horizontalAdvance(QLatin1Char('x')) * 12, serverLaneX() - clientLaneX() - 80);
    return fontMetrics().elidedText(summary, Qt::ElideRight, room);
}

void TimelineView::addBrackets() const
{
    const int sx = serverLaneX();
    const int height = viewport()->height();
    const auto yOf = [&](qsizetype index) {
        if (const Shape *s = shapeFor(index))
            return s->y;
        // Off screen: only the direction matters, the line is clipped.
        const qsizetype row = m_model->rowOfEvent(m_level, index);
        return qBound(-m_rowHeight, rowTop(row) + m_rowHeight / 2, height + m_rowHeight);
    };
    const ClosingSummary closing = m_model->closingSummary();
    for (const Shape &s : m_shapes) {
        if (s.type != Shape::Type::Arrow)
            continue;
        Bracket b;
        if (s.opcode == Opcode::Ping || s.opcode == Opcode::Pong) {
            const PingPong pair = m_model->pingPong(s.index);
            if (pair.status != PingPong::Status::Answered)
                continue;
            b.from = pair.ping;
            b.to = pair.pong;
            b.label = TimelineModel::pingPongLabel(pair, false);
        } else if (m_decoding && !Opcode::isControl(s.opcode) && !m_decoding->pairsOf(s.index).isEmpty()) {
            // The request and its first answer (an ack, a response, a receipt), as a ping and its pong.
            const QList<ProtocolDecoding::Pair> pairs = m_decoding->pairsOf(s.index);
            const auto answered = std::find_if(pairs.begin(), pairs.end(), [](const ProtocolDecoding::Pair &p) { return p.answer >= 0; });
            if (answered == pairs.end())
                continue;
            b.from = answered->request;
            b.to = answered->answer;
            b.label = tr("%1 \u00b7 %2").arg(DisplayText::line(answered->key, 30), TimelineModel::formatDuration(answered->elapsedUs));
        } else if (s.opcode == Opcode::Close && closing.replyIndex >= 0
            && (s.index == closing.firstCloseIndex || s.index == closing.replyIndex)) {
            b.from = closing.firstCloseIndex;
            b.to = closing.replyIndex;
            b.closing = true;
            b.label = tr("closing %1").arg(TimelineModel::formatDuration(closing.handshakeUs));
        } else {
            continue;
        }
        const bool seen = std::any_of(m_brackets.begin(), m_brackets.end(),
            [&](const Bracket &other) { return other.from == b.from && other.to == b.to; });
        if (seen)
            continue;
        b.y1 = yOf(b.from);
        b.y2 = yOf(b.to);
        m_brackets.push_back(b);
    }
    // Overlapping brackets (ping A, ping B, pong B, pong A) stand side by side; shorter ones go
    // nearer the lane so that a pair inside another pair is drawn inside its bracket.
    std::sort(m_brackets.begin(), m_brackets.end(),
        [](const Bracket &a, const Bracket &b) { return qAbs(a.y2 - a.y1) < qAbs(b.y2 - b.y1); });
    const auto overlaps = [](const Bracket &a, const Bracket &b) {
        return qMin(a.y1, a.y2) <= qMax(b.y1, b.y2) + 2 && qMin(b.y1, b.y2) <= qMax(a.y1, a.y2) + 2;
    };
    for (size_t i = 0; i < m_brackets.size(); ++i) {
        int column = 0;
        for (; column < kMaxBracketColumns - 1; ++column) {
            bool taken = false;
            for (size_t j = 0; j < i && !taken; ++j)
                taken = m_brackets[j].column == column && overlaps(m_brackets[i], m_brackets[j]);
            if (!taken)
                break;
        }
        m_brackets[i].column = column;
    }
    // Labels in one column right of all brackets, pushed apart where their pairs' middles meet.
    std::sort(m_brackets.begin(), m_brackets.end(),
        [](const Bracket &a, const Bracket &b) { return a.y1 + a.y2 < b.y1 + b.y2; });
    const QFontMetrics fm(font());
    const int labelX = sx + 14 + kMaxBracketColumns * kBracketColumnWidth;
    int nextFree = std::numeric_limits<int>::min();
    for (Bracket &b : m_brackets) {
        const int mid = qBound(m_lineHeight / 2, (b.y1 + b.y2) / 2, height - m_lineHeight / 2);
        const int top = qMax(mid - m_lineHeight / 2, nextFree);
        const int w = qMax(0, qMin(fm.horizontalAdvance(b.label) + 4, viewport()->width() - labelX - 4));
        b.labelRect = QRect(labelX, top, w, m_lineHeight);
        nextFree = top + m_lineHeight + 1;
    }
}

const TimelineView::Shape *TimelineView::shapeFor(qsizetype captureIndex) const
{
    if (captureIndex < 0 || !m_model || !m_model->capture() || captureIndex >= m_model->eventCount())
        return nullptr;
    ensureLayout();
    if (m_shapes.empty() || captureIndex < m_shapes.front().first || captureIndex > m_shapes.back().last)
        return nullptr;
    const Direction direction = m_model->capture()->event(captureIndex).direction;
    for (const Shape &s : m_shapes) {
        if (captureIndex < s.first || captureIndex > s.last)
            continue;
        if (s.type == Shape::Type::Box || s.type == Shape::Type::Marker || s.direction == direction
            || s.first == s.last)
            return &s;
    }
    return nullptr;
}

const TimelineView::Shape *TimelineView::shapeAt(const QPoint &pos) const
{
    ensureLayout();
    for (const Shape &s : m_shapes) {
        if (s.hitRect.contains(pos))
            return &s;
    }
    return nullptr;
}

qsizetype TimelineView::itemAt(const QPoint &viewportPos) const
{
    const Shape *s = shapeAt(viewportPos);
    return s ? s->index : -1;
}

QString TimelineView::labelFor(qsizetype captureIndex) const
{
    const Shape *s = shapeFor(captureIndex);
    return s ? s->label : QString();
}

QRect TimelineView::rectFor(qsizetype captureIndex) const
{
    const Shape *s = shapeFor(captureIndex);
    return s ? s->hitRect : QRect();
}

QString TimelineView::pairLabelFor(qsizetype captureIndex) const
{
    ensureLayout();
    for (const Bracket &b : m_brackets) {
        if (b.from == captureIndex || b.to == captureIndex)
            return b.label;
    }
    return QString();
}

QRect TimelineView::pairRectFor(qsizetype captureIndex) const
{
    ensureLayout();
    const int sx = serverLaneX();
    for (const Bracket &b : m_brackets) {
        if (b.from != captureIndex && b.to != captureIndex)
            continue;
        const int x = sx + 14 + b.column * kBracketColumnWidth;
        const QRect line(QPoint(sx + 4, qMin(b.y1, b.y2)), QPoint(x, qMax(b.y1, b.y2)));
        return line.united(b.labelRect);
    }
    return QRect();
}

bool TimelineView::isSelected(const Shape &s) const
{
    if (m_selected < s.first || m_selected > s.last)
        return false;
    return s.type == Shape::Type::Box || s.type == Shape::Type::Marker || s.first == s.last
        || s.direction == m_selectedDirection;
}

QString TimelineView::toolTipFor(const Shape &s) const
{
    if (!m_model || !m_model->capture())
        return QString();
    const bool relayed = isRelayed();
    const auto way = [relayed](Direction d) {
        if (relayed)
            return d == Direction::Outgoing ? tr("application \u2192 server")
                : d == Direction::Incoming  ? tr("server \u2192 application")
                                            : tr("local");
        return d == Direction::Outgoing ? tr("client \u2192 server")
            : d == Direction::Incoming  ? tr("server \u2192 client")
                                        : tr("local");
    };
    if (s.type == Shape::Type::Burst) {
        return tr("%1\n%2, events #%3 to #%4\nDouble-click or zoom in to see each frame.")
            .arg(s.label, way(s.direction))
            .arg(s.first + 1)
            .arg(s.last + 1);
    }
    const WireEvent e = m_model->eventAt(s.index); // on a relay, the direction it travelled
    QString text = QStringLiteral("#%1 %2\n%3").arg(s.index + 1).arg(way(e.direction), s.label);
    if (e.kind == EventKind::Frame) {
        text += QStringLiteral("\n%1").arg(MessageLogModel::flagsText(e));
        const QString preview = MessageLogModel::preview(e, 200);
        if (!preview.isEmpty())
            text += QStringLiteral("\n") + preview;
    } else if (e.kind != EventKind::StateChange) {
        text += QStringLiteral("\n") + MessageLogModel::preview(e, 400);
    }
    return text;
}

// --- painting ----------------------------------------------------------------------------------

TimelineView::Colors TimelineView::colors() const
{
    const QPalette &pal = palette();
    const bool dark = PaletteColors::isDark(pal, QPalette::Base);
    Colors c;
    c.base = pal.color(QPalette::Base);
    c.text = pal.color(QPalette::Text);
    c.dim = mix(c.text, c.base, 0.4);
    c.lane = mix(c.text, c.base, 0.55);
    c.stripe = mix(c.text, c.base, dark ? 0.94 : 0.965);
    c.selection = pal.color(QPalette::Highlight);
    c.selection.setAlpha(dark ? 90 : 60);
    // Hues chosen to read on both white and near-black bases (contrast of at least 4.5:1).
    c.data = dark ? QColor(0x8a, 0xb4, 0xf8) : QColor(0x1a, 0x56, 0xb0);
    c.control = dark ? QColor(0xd0, 0x9c, 0xff) : QColor(0x7b, 0x2f, 0xb5);
    c.close = dark ? QColor(0xff, 0xb8, 0x6c) : QColor(0x9c, 0x4a, 0x00);
    c.handshake = dark ? QColor(0x7f, 0xd8, 0x92) : QColor(0x1b, 0x74, 0x33);
    c.bad = dark ? QColor(0xff, 0x85, 0x85) : QColor(0xc0, 0x1c, 0x1c);
    c.api = dark ? QColor(0x6c, 0xd6, 0xd0) : QColor(0x00, 0x6a, 0x66);
    return c;
}

QColor TimelineView::toneColor(const Colors &c, Shape::Tone tone) const
{
    switch (tone) {
    case Shape::Tone::Data:
        return c.data;
    case Shape::Tone::Control:
        return c.control;
    case Shape::Tone::Close:
        return c.close;
    case Shape::Tone::Handshake:
        return c.handshake;
    case Shape::Tone::Bad:
        return c.bad;
    case Shape::Tone::Api:
        return c.api;
    case Shape::Tone::Neutral:
        break;
    }
    return c.dim;
}

void TimelineView::paintHeader(QPainter &p, const QRect &rect)
{
    const Colors c = colors();
    p.fillRect(rect, palette().color(QPalette::Window));
    const int fh = m_lineHeight;
    const int titleTop = rect.bottom() - fh - 10;
    const int cx = clientLaneX();
    const int sx = serverLaneX();
    p.setPen(c.dim);
    p.drawText(QRect(4, titleTop, timeColumnWidth() - 8, fh + 6), Qt::AlignRight | Qt::AlignVCenter, tr("time (s)"));
    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    const QFontMetrics fm(bold);
    p.setRenderHint(QPainter::Antialiasing);
    int serverBoxRight = sx;
    // A relayed connection: the application is the client; the relay, in between, forwards at once.
    QList<std::pair<int, QString>> lanes { { cx, tr("Client") }, { sx, tr("Server") } };
    if (isRelayed()) {
        lanes.first().second = tr("Application");
        lanes.insert(1, { inspectorLaneX(), tr("Inspector (relay)") });
    }
    for (const auto &[x, title] : std::as_const(lanes)) {
        const int w = fm.horizontalAdvance(title) + 20;
        serverBoxRight = x + w / 2;
        // Centred on its lane, but never over the time column's title.
        const QRectF box(qMax<qreal>(x - w / 2.0, timeColumnWidth()), titleTop, w, fh + 6);
        p.setPen(QPen(c.lane, 1));
        p.drawLine(x, int(box.bottom()), x, rect.bottom());
        p.setBrush(c.base);
        p.drawRoundedRect(box, 4, 4);
        p.setPen(c.text);
        p.drawText(box, Qt::AlignCenter, title);
    }
    p.setFont(font());
    p.setPen(c.dim);
    const int noteX = qMax(serverBoxRight + 10, sx + 14 + kMaxBracketColumns * kBracketColumnWidth);
    p.drawText(QRect(noteX, titleTop, rect.width() - noteX - 4, fh + 6), Qt::AlignLeft | Qt::AlignVCenter,
        QFontMetrics(font()).elidedText(tr("round trip"), Qt::ElideRight, rect.width() - noteX - 4));
    p.setPen(QPen(c.lane, 1));
    p.drawLine(rect.left(), rect.bottom(), rect.right(), rect.bottom());
}

void TimelineView::drawArrow(QPainter &p, const Shape &s, const Colors &c, bool selected) const
{
    const QColor colour = toneColor(c, s.tone);
    const bool right = s.direction == Direction::Outgoing;
    const qreal from = right ? s.leftX + 3 : s.rightX - 3;
    const qreal to = right ? s.rightX - 1 : s.leftX + 1;
    const qreal dir = right ? 1.0 : -1.0;
    const qreal y = s.y + 0.5;
    if (s.type == Shape::Type::Burst) {
        // A band under the arrow and a doubled head: many frames, one shape.
        QColor band = colour;
        band.setAlpha(60);
        p.fillRect(QRectF(qMin(from, to), y - 4, qAbs(to - from), 8), band);
    }
    p.setPen(QPen(colour, selected || s.type == Shape::Type::Burst ? 2.5 : 1.5));
    p.drawLine(QPointF(from, y), QPointF(to - dir * kHeadLength, y));
    p.setPen(Qt::NoPen);
    p.setBrush(colour);
    p.drawEllipse(QPointF(from, y), 2.5, 2.5);
    const auto head = [&](qreal tip) {
        const QPointF points[3]
            = { QPointF(tip, y), QPointF(tip - dir * kHeadLength, y - 4.5), QPointF(tip - dir * kHeadLength, y + 4.5) };
        p.drawPolygon(points, 3);
    };
    head(to);
    if (s.type == Shape::Type::Burst)
        head(to - dir * (kHeadLength - 2));
    if (s.throughX) {
        // Where the relay read it and handed it on.
        p.setPen(QPen(c.base, 1.5));
        p.drawEllipse(QPointF(s.throughX + 0.5, y), 4, 4);
    }
    const QFontMetrics fm(font());
    p.setPen(s.tone == Shape::Tone::Data ? c.text : colour);
    p.drawText(s.labelRect, Qt::AlignCenter, fm.elidedText(s.label, Qt::ElideRight, s.labelRect.width()));
}

void TimelineView::drawBox(QPainter &p, const Shape &s, const Colors &c, bool selected) const
{
    const QColor colour = toneColor(c, s.tone);
    p.setPen(QPen(colour, selected ? 2 : 1));
    p.setBrush(c.base);
    p.drawRoundedRect(QRectF(s.labelRect).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6);
    const QFontMetrics fm(font());
    p.setPen(s.tone == Shape::Tone::Neutral ? c.text : colour);
    p.drawText(s.labelRect, Qt::AlignCenter, fm.elidedText(s.label, Qt::ElideRight, s.labelRect.width() - 12));
}

void TimelineView::drawMarker(QPainter &p, const Shape &s, const Colors &c, bool selected) const
{
    const bool atServer = s.direction == Direction::Outgoing;
    const qreal x = atServer ? serverLaneX() + 0.5 : clientLaneX() + 0.5;
    const qreal y = s.y + 0.5;
    const qreal r = selected ? 7 : 6;
    const QPointF diamond[4] = { QPointF(x, y - r), QPointF(x + r, y), QPointF(x, y + r), QPointF(x - r, y) };
    p.setPen(QPen(c.base, 1));
    p.setBrush(c.bad);
    p.drawPolygon(diamond, 4);
    p.setPen(c.base);
    QFont bold = font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 0.75);
    p.setFont(bold);
    p.drawText(QRectF(x - r, y - r, 2 * r, 2 * r), Qt::AlignCenter, QStringLiteral("!"));
    p.setFont(font());
    const QFontMetrics fm(font());
    p.setPen(c.bad);
    p.drawText(s.labelRect, (atServer ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter,
        fm.elidedText(s.label, Qt::ElideRight, s.labelRect.width()));
}

void TimelineView::paintEvent(QPaintEvent *event)
{
    Q_UNUSED(event);
    ensureLayout();
    QPainter p(viewport());
    const Colors c = colors();
    const QRect area = viewport()->rect();
    p.fillRect(area, c.base);
    const QFontMetrics fm(font());
    const int fh = m_lineHeight;
    const int cx = clientLaneX();
    const int sx = serverLaneX();
    const int timeWidth = timeColumnWidth();
    const qint64 start = m_model ? m_model->startTimeUs() : 0;

    // Row stripes, times, and a dashed line where the connection sat idle.
    for (const TimelineItem &item : std::as_const(m_items)) {
        const int top = rowTop(item.row);
        if (item.row % 2)
            p.fillRect(QRect(0, top, area.width(), m_rowHeight), c.stripe);
        const bool idle = item.sincePreviousUs >= kIdleMarkUs;
        p.setPen(c.dim);
        const QRect timeRect(4, top + (m_rowHeight - fh) / 2 - (idle ? fh / 2 + 1 : 0), timeWidth - 12, fh);
        p.drawText(timeRect, Qt::AlignRight | Qt::AlignVCenter, elapsedText(item.timeUs - start));
        if (idle) {
            p.drawText(timeRect.translated(0, fh + 2), Qt::AlignRight | Qt::AlignVCenter,
                tr("idle %1").arg(TimelineModel::formatDuration(item.sincePreviousUs)));
            p.setPen(QPen(c.lane, 1, Qt::DashLine));
            p.drawLine(timeWidth, top, area.width(), top);
        }
    }

    // Lifelines.
    p.setPen(QPen(c.lane, 1));
    p.drawLine(cx, 0, cx, area.height());
    p.drawLine(sx, 0, sx, area.height());
    if (isRelayed()) {
        const int ix = inspectorLaneX();
        p.drawLine(ix, 0, ix, area.height());
    }

    p.setRenderHint(QPainter::Antialiasing);
    for (const Shape &s : m_shapes) {
        const bool selected = isSelected(s);
        if (selected) {
            p.setPen(Qt::NoPen);
            p.setBrush(c.selection);
            p.drawRoundedRect(QRectF(s.hitRect).adjusted(-6, -1, 6, 1), 4, 4);
        }
        switch (s.type) {
        case Shape::Type::Arrow:
        case Shape::Type::Burst:
            drawArrow(p, s, c, selected);
            break;
        case Shape::Type::Box:
            drawBox(p, s, c, selected);
            break;
        case Shape::Type::Marker:
            drawMarker(p, s, c, selected);
            break;
        }
    }

    // Brackets: a line from each arrow's end at the server lane out to the bracket's column.
    for (const Bracket &b : m_brackets) {
        const QColor colour = b.closing ? c.close : c.control;
        const qreal x = sx + 14 + b.column * kBracketColumnWidth + 0.5;
        p.setPen(QPen(colour, 1.5));
        p.setBrush(Qt::NoBrush);
        p.drawLine(QPointF(sx + 4, b.y1 + 0.5), QPointF(x, b.y1 + 0.5));
        p.drawLine(QPointF(sx + 4, b.y2 + 0.5), QPointF(x, b.y2 + 0.5));
        p.drawLine(QPointF(x, b.y1 + 0.5), QPointF(x, b.y2 + 0.5));
        // The leader leaves the bracket within its span, even when the label had to move aside.
        const int mid = b.labelRect.center().y();
        const int from = qBound(qMin(b.y1, b.y2), mid, qMax(b.y1, b.y2));
        p.drawLine(QPointF(x, from + 0.5), QPointF(b.labelRect.left() - 3, mid + 0.5));
        p.setPen(colour);
        p.drawText(
            b.labelRect, Qt::AlignLeft | Qt::AlignVCenter, fm.elidedText(b.label, Qt::ElideRight, b.labelRect.width()));
    }

    if (!m_model || m_items.isEmpty()) {
        p.setPen(c.dim);
        p.drawText(area.adjusted(0, 0, 0, -area.height() / 2), Qt::AlignCenter,
            m_model && m_model->capture() ? tr("No events yet") : tr("No connection"));
    }
}

// --- events ------------------------------------------------------------------------------------

void TimelineView::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    layoutHeader();
    updateScrollBars();
    if (m_following)
        scrollToNewest();
}

void TimelineView::scrollContentsBy(int dx, int dy)
{
    Q_UNUSED(dx);
    Q_UNUSED(dy);
    invalidateLayout();
}

bool TimelineView::viewportEvent(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        const auto *help = static_cast<QHelpEvent *>(event);
        if (const Shape *s = shapeAt(help->pos())) {
            QToolTip::showText(help->globalPos(), DisplayText::toolTip(toolTipFor(*s)), viewport(), s->hitRect);
        } else {
            QToolTip::hideText();
            event->ignore();
        }
        return true;
    }
    return QAbstractScrollArea::viewportEvent(event);
}

void TimelineView::changeEvent(QEvent *event)
{
    QAbstractScrollArea::changeEvent(event);
    if (event->type() == QEvent::FontChange) {
        updateMetrics();
        invalidateLayout();
    } else if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange) {
        m_header->update();
        viewport()->update();
    }
}

void TimelineView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton) {
        QAbstractScrollArea::mousePressEvent(event);
        return;
    }
    const Shape *s = shapeAt(event->position().toPoint());
    if (!s)
        return;
    m_selected = s->index;
    m_selectedDirection = s->type == Shape::Type::Box || s->type == Shape::Type::Marker
        ? m_model->capture()->event(s->index).direction
        : s->direction;
    viewport()->update();
    Q_EMIT eventClicked(s->index);
}

void TimelineView::mouseReleaseEvent(QMouseEvent *event)
{
    // The press did the work; taking the release keeps it from travelling to the parent.
    event->setAccepted(event->button() == Qt::LeftButton);
}

void TimelineView::mouseDoubleClickEvent(QMouseEvent *event)
{
    const Shape *s = shapeAt(event->position().toPoint());
    if (!s || s->type != Shape::Type::Burst || !m_model) {
        QAbstractScrollArea::mouseDoubleClickEvent(event);
        return;
    }
    // Zoom in until the burst spreads over a few rows: buckets of about a quarter of its length.
    const qint64 duration = m_model->capture()->event(s->last).timeUs - m_model->capture()->event(s->first).timeUs;
    const int level = duration < 4 ? TimelineModel::EveryEventLevel : int(std::bit_width(quint64(duration / 4))) - 1;
    setFollowing(false);
    m_selected = s->index;
    m_selectedDirection = s->direction;
    setLevelAnchored(qMin(level, m_level - 1), s->y);
}

void TimelineView::wheelEvent(QWheelEvent *event)
{
    if (!(event->modifiers() & Qt::ControlModifier)) {
        QAbstractScrollArea::wheelEvent(event);
        return;
    }
    // One notch (120) zooms one level; high-resolution wheels add up to a notch first.
    m_wheelAccumulator += event->angleDelta().y();
    const int anchorY = int(event->position().y());
    while (m_wheelAccumulator >= 120) {
        m_wheelAccumulator -= 120;
        setLevelAnchored(m_level - 1, anchorY);
    }
    while (m_wheelAccumulator <= -120) {
        m_wheelAccumulator += 120;
        setLevelAnchored(m_level + 1, anchorY);
    }
    event->accept();
}

void TimelineView::keyPressEvent(QKeyEvent *event)
{
    const bool ctrl = event->modifiers() & Qt::ControlModifier;
    if (ctrl && (event->key() == Qt::Key_Plus || event->key() == Qt::Key_Equal)) {
        zoomIn();
    } else if (ctrl && event->key() == Qt::Key_Minus) {
        zoomOut();
    } else if (event->key() == Qt::Key_End) {
        setFollowing(true);
    } else if (event->key() == Qt::Key_Home) {
        setFollowing(false);
        setScrollPx(0);
    } else {
        QAbstractScrollArea::keyPressEvent(event);
    }
}
