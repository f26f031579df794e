#pragma once

#include "log/timelinemodel.h"

#include <QAbstractScrollArea>
#include <QPointer>

class QLabel;
class QToolButton;
class TimelineHeader;

// The connection as a sequence diagram: a Client lane on the left, a Server lane on the right, time
// going down. A relayed connection gets a third lane between them, the inspector's: each frame
// passes through it with the time the relay took to hand it on, and each leg's handshake is drawn
// between the inspector and that side. The opening handshake, every frame as an arrow labelled with its type, size and the
// time since the event before it, pings joined to their pongs by a bracket with the round-trip
// time, violations as red markers, state changes and errors as boxes across the lanes, and the
// closing handshake with its codes and who closed first.
//
// Rows come from the TimelineModel at the current zoom level (time buckets of 2^level µs): frames
// that share a bucket are drawn as one burst arrow per direction, so a screen holds a bounded number
// of shapes however long the session. Only the visible rows are fetched and drawn.
//
// Ctrl+wheel, Ctrl+plus/minus or the header buttons zoom; "Follow" keeps the newest row at the
// bottom until the user scrolls away from it. Clicking an arrow emits eventClicked() with its
// capture index (the first frame of a burst).
class ProtocolDecoding;

class TimelineView : public QAbstractScrollArea {
    Q_OBJECT
public:
    explicit TimelineView(QWidget *parent = nullptr);
    ~TimelineView() override;

    // The view does not own the model.
    void setModel(TimelineModel *model);
    TimelineModel *model() const { return m_model; }
    // The protocol on top of the same capture (not owned; may be null): a decoded message's arrow
    // says what it means, and a request and its answer get a bracket with the time between them,
    // as a ping and its pong do.
    void setDecoding(ProtocolDecoding *decoding);

    int level() const { return m_level; }
    void setLevel(int level); // clamped to [TimelineModel::EveryEventLevel, TimelineModel::MaxLevel]
    QString zoomText() const; // "1 row per event", "1 row = 1.02 ms"

    bool isFollowing() const { return m_following; }
    void setFollowing(bool follow);

    // Scrolls to the row holding the event and highlights it (the burst arrow when it is in one).
    void selectEvent(qsizetype captureIndex);
    qsizetype selectedEvent() const { return m_selected; }

    // Geometry, for hit-testing and tests. Viewport coordinates; only what is on screen.
    qsizetype itemAt(const QPoint &viewportPos) const; // capture index of the arrow or marker there, -1 if none
    QString labelFor(qsizetype captureIndex) const; // label of the shape drawing the event, empty if not visible
    QRect rectFor(qsizetype captureIndex) const; // that shape's clickable area, empty if not visible
    QString pairLabelFor(qsizetype captureIndex) const; // bracket label of a visible ping/pong or close pair
    QRect pairRectFor(qsizetype captureIndex) const; // that bracket, label included
    int clientLaneX() const;
    int serverLaneX() const;
    int inspectorLaneX() const; // between them; drawn only for a relayed connection
    int rowHeight() const { return m_rowHeight; }
    qsizetype firstVisibleRow() const;
    qsizetype visibleRowCount() const; // rows fetched for the visible area
    qsizetype visibleShapeCount() const; // arrows, bursts, markers and boxes drawn
    qsizetype visibleBracketCount() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

public Q_SLOTS:
    void zoomIn();
    void zoomOut();
    void scrollToNewest();

Q_SIGNALS:
    void eventClicked(qsizetype captureIndex);
    void levelChanged(int level);
    void followingChanged(bool following);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void scrollContentsBy(int dx, int dy) override;
    bool viewportEvent(QEvent *event) override;
    void changeEvent(QEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    friend class TimelineHeader;

    // One thing drawn: an arrow (one frame, a handshake message, a close frame), a burst arrow, a
    // violation marker or a box across the lanes.
    struct Shape {
        enum class Type : quint8 { Arrow, Burst, Marker, Box };
        enum class Tone : quint8 { Data, Control, Close, Handshake, Bad, Neutral, Api };
        Type type = Type::Arrow;
        Tone tone = Tone::Data;
        TimelineItem::Kind kind = TimelineItem::Kind::Frames;
        quint8 opcode = 0; // single frames
        Direction direction = Direction::Local;
        qsizetype index = -1; // what a click selects
        qsizetype first = -1; // events drawn by the shape, all in `direction` for arrows and bursts
        qsizetype last = -1;
        qsizetype row = -1;
        int y = 0; // the arrow's line
        int leftX = 0; // the lanes the arrow joins (its direction says which end is the head)
        int rightX = 0;
        int throughX = 0; // a relayed frame: the inspector's lane, where it is handed on (0: none)
        QRect labelRect;
        QRect hitRect;
        QString label;
    };
    // Joins a ping to its pong (or the two close frames) right of the server lane.
    struct Bracket {
        qsizetype from = -1; // the ping or first close frame
        qsizetype to = -1;
        int y1 = 0;
        int y2 = 0;
        int column = 0;
        bool closing = false;
        QString label;
        QRect labelRect;
    };
    struct Colors {
        QColor base, text, dim, lane, stripe, selection;
        QColor data, control, close, handshake, bad, api;
    };

    void onAppended();
    void onReset();
    void updateMetrics();
    void updateScrollBars();
    void layoutHeader();
    void paintHeader(QPainter &painter, const QRect &rect);
    void ensureLayout() const;
    void invalidateLayout();
    void addRowShapes(const TimelineItem &item, int top) const;
    void addBrackets() const;
    const Shape *shapeFor(qsizetype captureIndex) const;
    const Shape *shapeAt(const QPoint &pos) const;
    QString toolTipFor(const Shape &shape) const;
    bool isRelayed() const { return m_model && m_model->isRelayed(); }
    void setLevelAnchored(int level, int anchorY);
    void setScrollPx(qint64 px);
    qint64 scrollPx() const;
    qint64 contentHeight() const;
    int rowTop(qsizetype row) const; // viewport y of a row's top (clamped far outside)
    int timeColumnWidth() const;
    Colors colors() const;
    QColor toneColor(const Colors &c, Shape::Tone tone) const;
    void drawArrow(QPainter &p, const Shape &s, const Colors &c, bool selected) const;
    void drawBox(QPainter &p, const Shape &s, const Colors &c, bool selected) const;
    void drawMarker(QPainter &p, const Shape &s, const Colors &c, bool selected) const;
    bool isSelected(const Shape &s) const;
    QString elidedMeaning(const QString &summary) const;

    QPointer<TimelineModel> m_model;
    QPointer<ProtocolDecoding> m_decoding;
    int m_level = TimelineModel::EveryEventLevel;
    bool m_following = true;
    bool m_settingScroll = false;
    qsizetype m_selected = -1;
    Direction m_selectedDirection = Direction::Local;
    qint64 m_scrollUnit = 1; // pixels per scroll bar step: > 1 only for content taller than an int holds
    int m_wheelAccumulator = 0;

    int m_lineHeight = 16;
    int m_rowHeight = 40;
    int m_headerHeight = 48;

    TimelineHeader *m_header = nullptr;
    QToolButton *m_zoomOutButton = nullptr;
    QToolButton *m_zoomInButton = nullptr;
    QLabel *m_zoomLabel = nullptr;
    QToolButton *m_followButton = nullptr;

    mutable bool m_layoutValid = false;
    mutable QList<TimelineItem> m_items;
    mutable std::vector<Shape> m_shapes;
    mutable std::vector<Bracket> m_brackets;
};
