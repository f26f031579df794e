#include "teach/framediagram.h"

#include "text/displaytext.h"

#include "common/fieldcolors.h"
#include "common/palettecolors.h"
#include "protocol/closecodes.h"
#include "protocol/frame.h"

#include <QEvent>
#include <QFontDatabase>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <utility>

using FieldId = FrameLayout::FieldId;

// The surface inside the scroll area. It only forwards to FrameDiagram, which owns the state and
// the geometry, so that tests and the window talk to one object.
class FrameDiagramCanvas : public QWidget {
public:
    explicit FrameDiagramCanvas(FrameDiagram *diagram)
        : m_diagram(diagram)
    {
        setObjectName(QStringLiteral("frameDiagramCanvas"));
        setMouseTracking(true);
        setFocusPolicy(Qt::StrongFocus);
        setBackgroundRole(QPalette::Base);
        setAutoFillBackground(true);
    }

protected:
    void paintEvent(QPaintEvent *event) override
    {
        QPainter p(this);
        m_diagram->paintCanvas(p, event->rect());
    }
    void resizeEvent(QResizeEvent *event) override
    {
        QWidget::resizeEvent(event);
        // Only the width shapes the layout; the height follows from it.
        if (event->size().width() != event->oldSize().width())
            m_diagram->relayout();
    }
    bool event(QEvent *event) override
    {
        if (event->type() == QEvent::ToolTip) {
            auto *help = static_cast<QHelpEvent *>(event);
            const FieldId id = m_diagram->fieldAt(help->pos());
            if (id == FieldId::None) {
                QToolTip::hideText();
                event->ignore();
            } else {
                QToolTip::showText(help->globalPos(), m_diagram->toolTipText(id), this);
            }
            return true;
        }
        return QWidget::event(event);
    }
    void mouseMoveEvent(QMouseEvent *event) override
    {
        const FieldId id = m_diagram->fieldAt(event->position().toPoint());
        setCursor(id == FieldId::None ? Qt::ArrowCursor : Qt::PointingHandCursor);
        m_diagram->setHovered(id);
    }
    void leaveEvent(QEvent *) override { m_diagram->setHovered(FieldId::None); }
    void mouseReleaseEvent(QMouseEvent *event) override { event->accept(); }
    void mousePressEvent(QMouseEvent *event) override
    {
        event->accept();
        if (event->button() != Qt::LeftButton)
            return;
        const FieldId id = m_diagram->fieldAt(event->position().toPoint());
        if (id == FieldId::None)
            return;
        m_diagram->setSelectedField(id);
        Q_EMIT m_diagram->fieldClicked(id);
    }
    void keyPressEvent(QKeyEvent *event) override
    {
        switch (event->key()) {
        case Qt::Key_Left:
        case Qt::Key_Up:
            m_diagram->selectByKey(-1);
            break;
        case Qt::Key_Right:
        case Qt::Key_Down:
            m_diagram->selectByKey(1);
            break;
        default:
            QWidget::keyPressEvent(event);
        }
    }

private:
    FrameDiagram *m_diagram;
};

namespace {

constexpr int Margin = 10;
constexpr int Padding = 4;

using PaletteColors::mix;

// Red for a field whose value breaks a rule; the canvas paints on Base.
QColor warningColor(const QPalette &palette)
{
    return PaletteColors::errorColor(palette, QPalette::Base);
}

QString byteHex(quint8 b)
{
    return QStringLiteral("0x%1").arg(uint(b), 2, 16, QLatin1Char('0'));
}

QString byteBinary(quint8 b)
{
    return QStringLiteral("%1").arg(uint(b), 8, 2, QLatin1Char('0'));
}

// A byte as a character when it is printable ASCII; blank otherwise (the table keeps its columns).
QString byteChar(quint8 b)
{
    if (b >= 0x20 && b < 0x7f)
        return QStringLiteral("'%1'").arg(QLatin1Char(char(b)));
    return QStringLiteral("   ");
}

QString hexBytes(QByteArrayView bytes, qsizetype max)
{
    QString text = QString::fromLatin1(bytes.first(qMin(max, bytes.size())).toByteArray().toHex(' '));
    if (bytes.size() > max)
        text += QStringLiteral(" …");
    return text;
}

} // namespace

FrameDiagram::FrameDiagram(QWidget *parent)
    : QScrollArea(parent)
{
    setObjectName(QStringLiteral("frameDiagram"));
    setWidgetResizable(true);
    setFrameShape(QFrame::NoFrame);
    m_canvas = new FrameDiagramCanvas(this);
    setWidget(m_canvas);
    setFocusProxy(m_canvas);
    updateInfo();
    relayout();
}

FrameDiagram::~FrameDiagram() = default;

QWidget *FrameDiagram::canvas() const
{
    return m_canvas;
}

void FrameDiagram::setFrame(const QByteArray &header, const QByteArray &unmaskedPayload, bool compressed)
{
    m_header = header;
    m_payload = unmaskedPayload;
    m_layout = FrameLayout(m_header, m_payload.size(), compressed);
    if (!m_layout.field(m_selected))
        m_selected = FieldId::None;
    m_hovered = FieldId::None;
    updateInfo();
    relayout();
}

void FrameDiagram::clear()
{
    setFrame({}, {});
}

void FrameDiagram::setSelectedField(FieldId id)
{
    if (id != FieldId::None && !m_layout.field(id))
        id = FieldId::None;
    if (id == m_selected)
        return;
    m_selected = id;
    updateInfo();
    m_canvas->update();
}

void FrameDiagram::setHovered(FieldId id)
{
    if (id == m_hovered)
        return;
    m_hovered = id;
    updateInfo();
    m_canvas->update();
}

void FrameDiagram::selectByKey(int step)
{
    const QList<FrameLayout::Field> &fields = m_layout.fields();
    if (fields.isEmpty() || isEmpty())
        return;
    qsizetype index = -1;
    for (qsizetype i = 0; i < fields.size(); ++i) {
        if (fields[i].id == m_selected)
            index = i;
    }
    index = index < 0 ? (step > 0 ? 0 : fields.size() - 1) : qBound<qsizetype>(0, index + step, fields.size() - 1);
    const FieldId id = fields[index].id;
    if (id == m_selected)
        return;
    setSelectedField(id);
    Q_EMIT fieldClicked(id);
}

void FrameDiagram::changeEvent(QEvent *event)
{
    QScrollArea::changeEvent(event);
    if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange) {
        m_canvas->setFont(font());
        relayout();
    } else if (event->type() == QEvent::PaletteChange) {
        m_canvas->setPalette(palette());
        m_canvas->update();
    }
}

// ---------------------------------------------------------------------------------------------
// Text

QString FrameDiagram::labelText(FieldId id) const
{
    const FrameLayout::Field *f = isEmpty() ? nullptr : m_layout.field(id);
    if (!f)
        return QString();
    return f->name + QStringLiteral(": ") + f->valueText;
}

QString FrameDiagram::bitsText(const FrameLayout::Field &f) const
{
    if (f.id == FieldId::Payload) {
        if (f.byteCount == 0)
            return tr("no bytes");
        if (f.byteCount == 1)
            return tr("byte %1").arg(f.byteOffset);
        return tr("bytes %1–%2").arg(f.byteOffset).arg(f.byteOffset + f.byteCount - 1);
    }
    if (f.bitCount == 1)
        return tr("bit %1").arg(f.bitOffset);
    return tr("bits %1–%2").arg(f.bitOffset).arg(f.bitOffset + f.bitCount - 1);
}

QString FrameDiagram::toolTipText(FieldId id) const
{
    const FrameLayout::Field *f = isEmpty() ? nullptr : m_layout.field(id);
    if (!f)
        return QString();
    QString html = QStringLiteral("<p style='white-space:pre-wrap'><b>%1</b> (%2)<br>%3</p><p>%4</p>")
                       .arg(f->name.toHtmlEscaped(), bitsText(*f).toHtmlEscaped(), f->valueText.toHtmlEscaped(),
                           f->meaning.toHtmlEscaped());
    if (id == FieldId::Payload) {
        const QString preview = payloadPreview();
        if (!preview.isEmpty())
            html += QStringLiteral("<p>%1</p>").arg(preview.toHtmlEscaped());
    }
    if (!f->warning.isEmpty())
        html += QStringLiteral("<p><b>%1</b> %2</p>").arg(tr("Warning:").toHtmlEscaped(), f->warning.toHtmlEscaped());
    return html;
}

void FrameDiagram::updateInfo()
{
    const FieldId id = m_hovered != FieldId::None ? m_hovered : m_selected;
    const FrameLayout::Field *f = isEmpty() ? nullptr : m_layout.field(id);
    if (!f) {
        m_infoText = isEmpty() ? QString()
                               : tr("Point at a field to see what it means; click it to select its bytes in the hex "
                                    "view.");
        return;
    }
    m_infoText = tr("%1 (%2) = %3. %4").arg(f->name, bitsText(*f), f->valueText, f->meaning);
    if (!f->warning.isEmpty())
        m_infoText += QLatin1Char(' ') + tr("Warning: %1.").arg(f->warning);
}

QString FrameDiagram::payloadPreview() const
{
    if (m_payload.isEmpty() || !m_layout.isComplete())
        return QString();
    const FrameHeader &h = m_layout.header();
    QString shown;
    if (h.opcode == Opcode::Close) {
        const ClosePayload close = ClosePayload::parse(m_payload);
        if (close.hasCode) {
            shown = tr("close code %1").arg(CloseCodes::label(close.code));
            if (!close.reason.isEmpty())
                shown += tr(", reason %1").arg(DisplayText::quoted(close.reason));
        }
    }
    constexpr qsizetype MaxText = 60;
    if (shown.isEmpty() && (h.opcode == Opcode::Text || h.opcode == Opcode::Continuation)) {
        // Text unless the start is not UTF-8 (a continuation of binary data): then hex says more.
        DisplayText::Result result;
        const QString text = DisplayText::fromPeer(m_payload, { DisplayText::Lines::Single, MaxText, true }, &result);
        if (result.validUtf8() || h.opcode == Opcode::Text)
            shown = QLatin1Char('"') + (result.cut ? text.chopped(1) : text) + QLatin1Char('"')
                + (result.cut ? QStringLiteral(" …") : QString());
    }
    if (shown.isEmpty())
        shown = hexBytes(m_payload, 16);
    if (!h.masked)
        return shown;
    return tr("unmasked: %1   on the wire: %2")
        .arg(shown, hexBytes(::masked(m_payload.first(qMin<qsizetype>(m_payload.size(), 9)), h.maskingKey), 8));
}

QString FrameDiagram::title() const
{
    if (isEmpty())
        return QString();
    QString kind = Opcode::name(m_layout.header().opcode);
    if (!kind.isEmpty())
        kind[0] = kind[0].toUpper();
    if (!m_layout.isComplete())
        return tr("%1 frame: the header is cut short (%2 bytes)").arg(kind).arg(m_header.size());
    return tr("%1 frame%2: %3-byte header + %4-byte payload (RFC 6455 §5.2)")
        .arg(kind, m_layout.header().masked ? tr(", masked") : QString())
        .arg(m_header.size())
        .arg(m_payload.size());
}

// ---------------------------------------------------------------------------------------------
// Geometry

int FrameDiagram::headerRowCount() const
{
    return int((m_header.size() * 8 + BitsPerRow - 1) / BitsPerRow);
}

int FrameDiagram::labelHeight(const Segment &s, int width) const
{
    const QFontMetrics fm(m_canvas->font());
    const int line = fm.height();
    if (s.summary)
        return 2 * line;
    if (s.id == FieldId::None)
        return line;
    const FrameLayout::Field *f = m_layout.field(s.id);
    if (!f)
        return line;
    if (f->bitCount == 1)
        return int(f->name.size()) * (fm.ascent() + 1);
    if (!s.primary)
        return line;
    QString value = f->valueText;
    int maxLines = 3;
    if (s.id == FieldId::Payload && fieldSegments(FieldId::Payload).size() == 1 && !m_payload.isEmpty()) {
        value += QLatin1Char('\n') + payloadPreview();
        maxLines = 4;
    }
    const int valueHeight
        = fm.boundingRect(QRect(0, 0, qMax(1, width - 2 * Padding), 10 * line), Qt::TextWordWrap, value).height();
    return line + qMin(valueHeight, maxLines * line);
}

void FrameDiagram::relayout()
{
    const QFont normal = m_canvas->font();
    QFont bold = normal;
    bold.setBold(true);
    const QFontMetrics fm(normal);
    const QFontMetrics boldFm(bold);
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    mono.setPointSizeF(normal.pointSizeF() > 0 ? normal.pointSizeF() : mono.pointSizeF());
    const QFontMetrics monoFm(mono);
    const int line = fm.height();
    const int width = m_canvas->width();

    m_segments.clear();
    m_rowTops.clear();
    m_rowHeights.clear();
    m_legend.clear();
    m_maskRect = QRect();
    m_maskColumns.clear();
    m_infoRect = QRect();

    const int gutter = fm.horizontalAdvance(tr("byte %1").arg(12)) + 2 * Padding;
    const int minBit = std::max({ monoFm.horizontalAdvance(QLatin1Char('0')) + 2 * Padding,
        fm.horizontalAdvance(QStringLiteral("31")) + 2 * Padding, fm.horizontalAdvance(QLatin1Char('W')) + Padding });
    // Wide windows get wider bits, up to a point: past it the labels gain nothing and the eye has
    // further to travel between a digit and its bit number.
    const int maxBit = qMax(minBit, 3 * line);
    m_bitWidth = qBound(minBit, (width - 2 * Margin - gutter) / BitsPerRow, maxBit);
    m_gridLeft = Margin + gutter;
    const int gridWidth = BitsPerRow * m_bitWidth;
    m_minimumWidth = 2 * Margin + gutter + BitsPerRow * minBit;
    m_digitHeight = monoFm.height() + Padding;

    int y = Margin;
    if (isEmpty()) {
        m_titleRect = QRect(Margin, y, qMax(1, width - 2 * Margin), 3 * line);
        m_contentHeight = m_titleRect.bottom() + Margin;
        m_canvas->setMinimumSize(m_minimumWidth, m_contentHeight);
        m_canvas->update();
        return;
    }

    m_titleRect = QRect(Margin, y, qMax(1, width - 2 * Margin), boldFm.height());
    y += m_titleRect.height() + Padding;
    m_rulerRect = QRect(m_gridLeft, y, gridWidth, line);
    y += line + 2;

    // Boxes: each field split at row ends; header bits no field describes (a header cut short) as
    // None; then the payload in the rest of the last header row and, if it goes on, a summary row.
    const qint64 headerBits = m_header.size() * 8;
    auto addSpan = [this](FieldId id, qint64 bit, qint64 count) {
        while (count > 0) {
            const int row = int(bit / BitsPerRow);
            const int first = int(bit % BitsPerRow);
            const int n = int(qMin<qint64>(count, BitsPerRow - first));
            m_segments.append(Segment { id, row, first, n, QRect(), false, false });
            bit += n;
            count -= n;
        }
    };
    qint64 covered = 0;
    for (const FrameLayout::Field &f : m_layout.fields()) {
        if (f.id == FieldId::Payload)
            continue;
        if (f.bitOffset > covered)
            addSpan(FieldId::None, covered, f.bitOffset - covered);
        addSpan(f.id, f.bitOffset, f.bitCount);
        covered = f.bitOffset + f.bitCount;
    }
    if (headerBits > covered)
        addSpan(FieldId::None, covered, headerBits - covered);
    const int headerRows = headerRowCount();
    int rows = headerRows;
    if (m_layout.isComplete() && m_layout.field(FieldId::Payload)) {
        const int used = int(headerBits % BitsPerRow);
        const qint64 roomBytes = used == 0 ? 0 : (BitsPerRow - used) / 8;
        if (used != 0)
            m_segments.append(
                Segment { FieldId::Payload, headerRows - 1, used, BitsPerRow - used, QRect(), false, false });
        if (used == 0 || m_payload.size() > roomBytes) {
            m_segments.append(Segment { FieldId::Payload, headerRows, 0, BitsPerRow, QRect(), false, true });
            rows = headerRows + 1;
        }
    }
    // The label goes in a field's widest box (the first of equals), as the RFC labels wrapped fields.
    for (qsizetype i = 0; i < m_segments.size(); ++i) {
        Segment &s = m_segments[i];
        if (s.id == FieldId::Payload) {
            // The payload starts where the header ends: its first box names it, the summary row goes on.
            s.primary = !s.summary || fieldSegments(FieldId::Payload).size() == 1;
            continue;
        }
        bool widest = true;
        for (qsizetype j = 0; j < m_segments.size() && widest; ++j) {
            const Segment &o = m_segments[j];
            if (j != i && o.id == s.id && (o.bitCount > s.bitCount || (o.bitCount == s.bitCount && j < i)))
                widest = false;
        }
        s.primary = widest;
    }

    for (int row = 0; row < rows; ++row) {
        const bool payloadRow = row >= headerRows;
        int labels = line;
        for (const Segment &s : std::as_const(m_segments)) {
            if (s.row == row)
                labels = qMax(labels, labelHeight(s, s.bitCount * m_bitWidth));
        }
        const int height = (payloadRow ? 0 : m_digitHeight) + labels + 2 * Padding;
        m_rowTops.append(y);
        m_rowHeights.append(height);
        y += height;
    }
    for (Segment &s : m_segments)
        s.rect = QRect(
            m_gridLeft + s.firstBit * m_bitWidth, m_rowTops[s.row], s.bitCount * m_bitWidth, m_rowHeights[s.row]);

    // The explanation line: tall enough for the longest field text, so hovering never moves the
    // rest of the diagram.
    y += Padding * 2;
    const int infoWidth = qMax(1, width - 2 * Margin - 2 * Padding);
    int infoHeight = line;
    const FieldId hovered = m_hovered;
    const FieldId selected = m_selected;
    for (const FrameLayout::Field &f : m_layout.fields()) {
        m_hovered = f.id;
        updateInfo();
        infoHeight = qMax(
            infoHeight, fm.boundingRect(QRect(0, 0, infoWidth, 20 * line), Qt::TextWordWrap, m_infoText).height());
    }
    m_hovered = hovered;
    m_selected = selected;
    updateInfo();
    m_infoRect = QRect(Margin, y, qMax(1, width - 2 * Margin), infoHeight + 2 * Padding);
    y = m_infoRect.bottom() + 1 + Padding * 2;

    // Masking worked through, for masked frames whose header is complete.
    int tableWidth = 0;
    if (m_layout.isComplete() && m_layout.header().masked) {
        y += 2 * Padding;
        const int top = y;
        y += boldFm.height() + Padding; // title
        const int explanationHeight
            = fm.boundingRect(QRect(0, 0, qMax(1, width - 2 * Margin), 10 * line), Qt::TextWordWrap,
                    tr("Payload byte i is XORed with key byte i mod 4. XOR with the same key again gives the byte "
                       "back, which is how the server unmasks it: x XOR k XOR k = x."))
                  .height();
        y += explanationHeight + Padding;
        const QList<MaskingRow> rowsShown = maskingRows();
        if (!rowsShown.isEmpty()) {
            const QStringList headers
                = { tr("i"), tr("key byte i mod 4"), tr("payload byte"), tr("XOR key byte"), tr("= on the wire") };
            const QStringList samples
                = { QStringLiteral("00"), QStringLiteral("key[0] = 0x00"), QStringLiteral("0x00 00000000 'W'"),
                      QStringLiteral("0x00 00000000"), QStringLiteral("0x00 00000000 'W'") };
            int x = Margin;
            for (int c = 0; c < headers.size(); ++c) {
                m_maskColumns.append(x);
                x += qMax(fm.horizontalAdvance(headers[c]), monoFm.horizontalAdvance(samples[c])) + 4 * Padding;
            }
            m_maskColumns.append(x);
            tableWidth = x - Margin;
            const int rowHeight = qMax(line, monoFm.height()) + Padding;
            y += rowHeight * (1 + int(rowsShown.size()));
            if (m_payload.size() > MaskingRowsShown)
                y += line + Padding;
        } else {
            y += line;
        }
        m_maskRect = QRect(Margin, top, qMax(tableWidth, width - 2 * Margin), y - top);
        y += Padding;
    }

    // Legend: every field with its bits and full value; two columns when each has room for the values.
    const QList<FrameLayout::Field> &fields = m_layout.fields();
    const int count = int(fields.size());
    const int swatch = fm.ascent() + 2 * Padding;
    struct Column {
        int nameWidth = 0, bitsWidth = 0, valueWidth = 0;
    };
    auto measure = [&](int from, int to) {
        Column c;
        for (int i = from; i < to; ++i) {
            c.nameWidth = qMax(c.nameWidth, boldFm.horizontalAdvance(fields[i].name));
            c.bitsWidth = qMax(c.bitsWidth, fm.horizontalAdvance(bitsText(fields[i])));
            c.valueWidth = qMax(c.valueWidth, fm.horizontalAdvance(fields[i].valueText + QStringLiteral(" (!)")));
        }
        return c;
    };
    auto fits = [&](const Column &c, int columnWidth) {
        return columnWidth - swatch - c.nameWidth - c.bitsWidth - 4 * Padding >= qMin(c.valueWidth, 14 * line);
    };
    int perColumn = count;
    const int half = (count + 1) / 2;
    const int halfWidth = (width - 2 * Margin) / 2;
    if (count > 1 && fits(measure(0, half), halfWidth) && fits(measure(half, count), halfWidth))
        perColumn = half;
    const int columnWidth = perColumn == count ? width - 2 * Margin : halfWidth;
    const int itemHeight = line + Padding;
    y += 2 * Padding;
    for (int column = 0; column * perColumn < count; ++column) {
        const int from = column * perColumn;
        const int to = qMin(count, from + perColumn);
        const Column c = measure(from, to);
        for (int i = from; i < to; ++i)
            m_legend.append(LegendItem { fields[i].id,
                QRect(Margin + column * columnWidth, y + (i - from) * itemHeight, columnWidth - Padding, itemHeight),
                c.nameWidth, c.bitsWidth });
    }
    y += perColumn * itemHeight + Padding;

    m_minimumWidth = qMax(m_minimumWidth, tableWidth + 2 * Margin);
    m_contentHeight = y + Margin;
    m_canvas->setMinimumSize(m_minimumWidth, m_contentHeight);
    m_canvas->update();
}

QList<QRect> FrameDiagram::fieldSegments(FieldId id) const
{
    QList<QRect> rects;
    if (id == FieldId::None)
        return rects;
    for (const Segment &s : m_segments) {
        if (s.id == id)
            rects.append(s.rect);
    }
    return rects;
}

QRect FrameDiagram::fieldRect(FieldId id) const
{
    if (id == FieldId::None)
        return QRect();
    for (const Segment &s : m_segments) {
        if (s.id == id && s.primary)
            return s.rect;
    }
    return QRect();
}

FieldId FrameDiagram::fieldAt(const QPoint &pos) const
{
    for (const Segment &s : m_segments) {
        if (s.rect.contains(pos))
            return s.id;
    }
    for (const LegendItem &item : m_legend) {
        if (item.rect.contains(pos))
            return item.id;
    }
    return FieldId::None;
}

QString FrameDiagram::bitText(qint64 bit) const
{
    if (bit < 0 || bit >= m_header.size() * 8)
        return QString();
    const auto byte = uchar(m_header[bit / 8]);
    return (byte >> (7 - bit % 8)) & 1 ? QStringLiteral("1") : QStringLiteral("0");
}

QRect FrameDiagram::bitRect(qint64 bit) const
{
    if (bit < 0 || bit >= m_header.size() * 8)
        return QRect();
    const int row = int(bit / BitsPerRow);
    if (row >= m_rowTops.size())
        return QRect();
    return QRect(m_gridLeft + int(bit % BitsPerRow) * m_bitWidth, m_rowTops[row], m_bitWidth, m_digitHeight);
}

QList<FrameDiagram::MaskingRow> FrameDiagram::maskingRows() const
{
    QList<MaskingRow> rows;
    if (!m_layout.isComplete() || !m_layout.header().masked || isEmpty())
        return rows;
    const quint32 key = m_layout.header().maskingKey;
    const int n = int(qMin<qsizetype>(m_payload.size(), MaskingRowsShown));
    for (int i = 0; i < n; ++i) {
        MaskingRow r;
        r.index = i;
        r.keyIndex = i % 4;
        r.key = quint8(key >> (8 * (3 - r.keyIndex))); // byte 0 of the key is the most significant
        r.unmasked = quint8(m_payload[i]);
        r.masked = r.unmasked ^ r.key;
        rows.append(r);
    }
    return rows;
}

// ---------------------------------------------------------------------------------------------
// Painting

QColor FrameDiagram::fieldColor(FieldId id) const
{
    // The hex view's colours (FieldColors), so a field has one colour in every pane.
    const QPalette &pal = m_canvas->palette();
    // Header bits no field describes get a faint grey box rather than none.
    if (id == FieldId::None)
        return mix(pal.color(QPalette::Base), pal.color(QPalette::Text), 0.08);
    return FieldColors::color(id, pal);
}

void FrameDiagram::paintCanvas(QPainter &p, const QRect &)
{
    const QPalette &pal = m_canvas->palette();
    const QColor text = pal.color(QPalette::Text);
    QColor dim = text;
    dim.setAlphaF(0.65f);
    const QFont normal = m_canvas->font();
    QFont bold = normal;
    bold.setBold(true);
    const QFontMetrics fm(normal);

    if (isEmpty()) {
        p.setPen(dim);
        p.drawText(m_titleRect, Qt::TextWordWrap | Qt::AlignLeft | Qt::AlignTop,
            tr("Select a frame in the message log to see its header drawn bit by bit, as in the RFC 6455 §5.2 "
               "diagram."));
        return;
    }

    p.setFont(bold);
    p.setPen(text);
    p.drawText(m_titleRect, Qt::AlignLeft | Qt::AlignVCenter,
        QFontMetrics(bold).elidedText(title(), Qt::ElideRight, m_titleRect.width()));

    // Bit numbers across the top, byte starts in bold, as the RFC's ruler marks every 8th bit.
    for (int bit = 0; bit < BitsPerRow; ++bit) {
        const QRect cell(m_gridLeft + bit * m_bitWidth, m_rulerRect.top(), m_bitWidth, m_rulerRect.height());
        p.setFont(bit % 8 == 0 ? bold : normal);
        p.setPen(bit % 8 == 0 ? text : dim);
        p.drawText(cell, Qt::AlignCenter, QString::number(bit));
    }
    p.setFont(normal);
    p.setPen(dim);
    for (int row = 0; row < m_rowTops.size(); ++row) {
        const QRect gutter(Margin, m_rowTops[row], m_gridLeft - Margin - Padding * 2, m_digitHeight);
        p.drawText(gutter, Qt::AlignRight | Qt::AlignVCenter, tr("byte %1").arg(row * 4));
    }

    for (const Segment &s : std::as_const(m_segments))
        paintSegment(p, s);

    // The explanation of the field pointed at.
    p.setPen(Qt::NoPen);
    p.setBrush(pal.color(QPalette::AlternateBase));
    p.drawRoundedRect(m_infoRect, 4, 4);
    const FieldId infoField = m_hovered != FieldId::None ? m_hovered : m_selected;
    const FrameLayout::Field *info = m_layout.field(infoField);
    p.setPen(info && !info->warning.isEmpty() ? warningColor(pal) : text);
    p.setFont(normal);
    p.drawText(m_infoRect.adjusted(Padding, Padding, -Padding, -Padding),
        Qt::TextWordWrap | Qt::AlignLeft | Qt::AlignTop, m_infoText);

    // Legend.
    const QFontMetrics boldFm(bold);
    for (const LegendItem &item : std::as_const(m_legend)) {
        const FrameLayout::Field *f = m_layout.field(item.id);
        if (!f)
            continue;
        const QRect r = item.rect;
        const int swatch = fm.ascent();
        const QRect box(r.left(), r.top() + (r.height() - swatch) / 2, swatch, swatch);
        p.setPen(mix(fieldColor(item.id), text, 0.35));
        p.setBrush(fieldColor(item.id));
        p.drawRect(box);
        int x = box.right() + 1 + Padding * 2;
        const bool highlighted = item.id == m_selected || item.id == m_hovered;
        p.setFont(bold);
        p.setPen(text);
        p.drawText(QRect(x, r.top(), item.nameWidth, r.height()), Qt::AlignLeft | Qt::AlignVCenter, f->name);
        x += item.nameWidth + Padding * 2;
        p.setFont(normal);
        p.setPen(dim);
        p.drawText(QRect(x, r.top(), item.bitsWidth, r.height()), Qt::AlignLeft | Qt::AlignVCenter, bitsText(*f));
        x += item.bitsWidth + Padding * 2;
        p.setPen(f->warning.isEmpty() ? text : warningColor(pal));
        const QString value = f->warning.isEmpty() ? f->valueText : f->valueText + QStringLiteral(" (!)");
        p.drawText(QRect(x, r.top(), qMax(0, r.right() - x), r.height()), Qt::AlignLeft | Qt::AlignVCenter,
            fm.elidedText(value, Qt::ElideRight, qMax(0, r.right() - x)));
        if (highlighted) {
            p.setPen(QPen(pal.color(QPalette::Highlight), 1));
            p.setBrush(Qt::NoBrush);
            p.drawLine(box.right() + Padding * 2, r.bottom(), r.right(), r.bottom());
        }
    }

    if (maskingTableShown())
        paintMasking(p);
}

void FrameDiagram::paintSegment(QPainter &p, const Segment &s)
{
    const QPalette &pal = m_canvas->palette();
    const QColor text = pal.color(QPalette::Text);
    QColor dim = text;
    dim.setAlphaF(0.65f);
    const QFont normal = m_canvas->font();
    QFont bold = normal;
    bold.setBold(true);
    QFont italic = normal;
    italic.setItalic(true);
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    mono.setPointSizeF(normal.pointSizeF() > 0 ? normal.pointSizeF() : mono.pointSizeF());
    const QFontMetrics fm(normal);
    const FrameLayout::Field *f = m_layout.field(s.id);

    const QColor fill = fieldColor(s.id);
    const QColor border = mix(fill, text, 0.45);
    p.setPen(Qt::NoPen);
    p.setBrush(fill);
    p.drawRect(s.rect);

    const bool headerRow = !s.summary;
    // The frame's real bits, one digit per bit cell, with the RFC's tick marks between cells.
    if (headerRow && s.id != FieldId::Payload) {
        p.setFont(mono);
        for (int b = 0; b < s.bitCount; ++b) {
            const qint64 bit = qint64(s.row) * BitsPerRow + s.firstBit + b;
            const QRect cell(s.rect.left() + b * m_bitWidth, s.rect.top(), m_bitWidth, m_digitHeight);
            p.setPen(text);
            p.drawText(cell, Qt::AlignCenter, bitText(bit));
            if (b > 0) {
                p.setPen(border);
                p.drawLine(cell.left(), cell.top(), cell.left(), cell.top() + m_digitHeight / 3);
                p.drawLine(cell.left(), cell.bottom() - m_digitHeight / 3, cell.left(), cell.bottom());
            }
        }
    }

    const int labelTop = s.rect.top() + (headerRow ? m_digitHeight : 0) + Padding;
    const QRect label(s.rect.left() + Padding, labelTop, s.rect.width() - 2 * Padding, s.rect.bottom() - labelTop);
    p.setPen(text);
    if (s.id == FieldId::None) {
        p.setFont(italic);
        p.setPen(dim);
        p.drawText(
            label, Qt::AlignHCenter | Qt::AlignTop, fm.elidedText(tr("(cut short)"), Qt::ElideRight, label.width()));
    } else if (f && f->bitCount == 1) {
        // One bit is too narrow for words: the name stacked letter by letter, as the RFC draws it.
        p.setFont(normal);
        const int step = fm.ascent() + 1;
        for (int i = 0; i < f->name.size(); ++i)
            p.drawText(QRect(s.rect.left(), labelTop + i * step, s.rect.width(), step), Qt::AlignCenter, f->name.at(i));
    } else if (f && s.summary) {
        const QRect first(label.left(), label.top(), label.width(), fm.height());
        const QRect second(label.left(), label.top() + fm.height(), label.width(), fm.height());
        const bool alone = fieldSegments(FieldId::Payload).size() == 1;
        p.setFont(alone ? bold : italic);
        const QString head = alone ? f->name + QStringLiteral(": ") + f->valueText : tr("%1 (continued)").arg(f->name);
        p.drawText(first, Qt::AlignLeft | Qt::AlignVCenter,
            QFontMetrics(p.font()).elidedText(head, Qt::ElideRight, first.width()));
        p.setFont(normal);
        p.setPen(dim);
        p.drawText(
            second, Qt::AlignLeft | Qt::AlignVCenter, fm.elidedText(payloadPreview(), Qt::ElideRight, second.width()));
    } else if (f && s.primary) {
        p.setFont(bold);
        const QRect nameRect(label.left(), label.top(), label.width(), fm.height());
        const int alignment = s.id == FieldId::Payload ? Qt::AlignLeft : Qt::AlignHCenter;
        p.drawText(nameRect, alignment | Qt::AlignVCenter,
            QFontMetrics(bold).elidedText(f->name, Qt::ElideRight, nameRect.width()));
        p.setFont(normal);
        QString value = f->valueText;
        const QRect valueRect(label.left(), nameRect.bottom() + 1, label.width(), label.bottom() - nameRect.bottom());
        if (s.id == FieldId::Payload && fieldSegments(FieldId::Payload).size() == 1 && !m_payload.isEmpty())
            value += QLatin1Char('\n') + payloadPreview();
        p.drawText(valueRect, alignment | Qt::AlignTop | Qt::TextWordWrap, value);
    } else if (f) {
        p.setFont(italic);
        p.setPen(dim);
        p.drawText(label, Qt::AlignHCenter | Qt::AlignTop,
            fm.elidedText(tr("%1 (continued)").arg(f->name), Qt::ElideRight, label.width()));
    }

    // Outline: the box itself, then the state on top (warning, hover, selection).
    p.setBrush(Qt::NoBrush);
    p.setPen(QPen(border, 1));
    p.drawRect(s.rect.adjusted(0, 0, -1, -1));
    if (s.summary) {
        // The payload goes on beyond what is drawn: a dashed bottom edge, as the RFC leaves it open.
        p.setPen(QPen(fill, 1));
        p.drawLine(s.rect.left() + 1, s.rect.bottom(), s.rect.right() - 1, s.rect.bottom());
        p.setPen(QPen(border, 1, Qt::DashLine));
        p.drawLine(s.rect.left(), s.rect.bottom(), s.rect.right(), s.rect.bottom());
    }
    if (f && !f->warning.isEmpty()) {
        p.setPen(QPen(warningColor(pal), 2, Qt::DashLine));
        p.drawRect(s.rect.adjusted(1, 1, -2, -2));
    }
    if (s.id != FieldId::None && s.id == m_selected) {
        p.setPen(QPen(pal.color(QPalette::Highlight), 3));
        p.drawRect(s.rect.adjusted(1, 1, -2, -2));
    } else if (s.id != FieldId::None && s.id == m_hovered) {
        p.setPen(QPen(pal.color(QPalette::Highlight), 1));
        p.drawRect(s.rect.adjusted(1, 1, -2, -2));
    }
}

void FrameDiagram::paintMasking(QPainter &p)
{
    const QPalette &pal = m_canvas->palette();
    const QColor text = pal.color(QPalette::Text);
    QColor dim = text;
    dim.setAlphaF(0.65f);
    const QFont normal = m_canvas->font();
    QFont bold = normal;
    bold.setBold(true);
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    mono.setPointSizeF(normal.pointSizeF() > 0 ? normal.pointSizeF() : mono.pointSizeF());
    const QFontMetrics fm(normal);
    const QFontMetrics boldFm(bold);
    const QFontMetrics monoFm(mono);
    const quint32 key = m_layout.header().maskingKey;

    int y = m_maskRect.top();
    p.setFont(bold);
    p.setPen(text);
    const QString heading = tr("Masking worked through (RFC 6455 §5.3): key 0x%1 = bytes %2")
                                .arg(key, 8, 16, QLatin1Char('0'))
                                .arg(QStringLiteral("%1 %2 %3 %4")
                                         .arg(key >> 24, 2, 16, QLatin1Char('0'))
                                         .arg((key >> 16) & 0xff, 2, 16, QLatin1Char('0'))
                                         .arg((key >> 8) & 0xff, 2, 16, QLatin1Char('0'))
                                         .arg(key & 0xff, 2, 16, QLatin1Char('0')));
    p.drawText(QRect(m_maskRect.left(), y, m_maskRect.width(), boldFm.height()), Qt::AlignLeft | Qt::AlignVCenter,
        boldFm.elidedText(heading, Qt::ElideRight, m_maskRect.width()));
    y += boldFm.height() + Padding;
    p.setFont(normal);
    const QString explanation = tr("Payload byte i is XORed with key byte i mod 4. XOR with the same key again gives "
                                   "the byte back, which is how the server unmasks it: x XOR k XOR k = x.");
    const QRect explanationRect = fm.boundingRect(
        QRect(m_maskRect.left(), y, m_maskRect.width(), 10 * fm.height()), Qt::TextWordWrap, explanation);
    p.drawText(
        QRect(m_maskRect.left(), y, m_maskRect.width(), explanationRect.height()), Qt::TextWordWrap, explanation);
    y += explanationRect.height() + Padding;

    const QList<MaskingRow> rows = maskingRows();
    if (rows.isEmpty()) {
        p.setPen(dim);
        p.drawText(QRect(m_maskRect.left(), y, m_maskRect.width(), fm.height()), Qt::AlignLeft | Qt::AlignVCenter,
            tr("This frame has no payload, so there is nothing to mask."));
        return;
    }
    const int rowHeight = qMax(fm.height(), monoFm.height()) + Padding;
    const QStringList headers
        = { tr("i"), tr("key byte i mod 4"), tr("payload byte"), tr("XOR key byte"), tr("= on the wire") };
    auto cell = [this, y](int column, int row, int height) {
        return QRect(m_maskColumns[column] + Padding, y + row * height,
            m_maskColumns[column + 1] - m_maskColumns[column] - 2 * Padding, height);
    };
    p.setPen(dim);
    for (int c = 0; c < headers.size(); ++c)
        p.drawText(cell(c, 0, rowHeight), Qt::AlignLeft | Qt::AlignVCenter, headers[c]);
    const int tableRight = m_maskColumns.last();
    p.setFont(mono);
    for (int i = 0; i < rows.size(); ++i) {
        const MaskingRow &r = rows[i];
        const QRect band(m_maskRect.left(), y + (i + 1) * rowHeight, tableRight - m_maskRect.left(), rowHeight);
        if (i % 2 == 0)
            p.fillRect(band, pal.color(QPalette::AlternateBase));
        p.setPen(text);
        p.drawText(cell(0, i + 1, rowHeight), Qt::AlignLeft | Qt::AlignVCenter, QString::number(r.index));
        p.fillRect(
            cell(1, i + 1, rowHeight).adjusted(-Padding / 2, 1, Padding / 2, -1), fieldColor(FieldId::MaskingKey));
        p.setPen(text);
        p.drawText(cell(1, i + 1, rowHeight), Qt::AlignLeft | Qt::AlignVCenter,
            tr("key[%1] = %2").arg(r.keyIndex).arg(byteHex(r.key)));
        p.drawText(cell(2, i + 1, rowHeight), Qt::AlignLeft | Qt::AlignVCenter,
            QStringLiteral("%1 %2 %3").arg(byteHex(r.unmasked), byteBinary(r.unmasked), byteChar(r.unmasked)));
        p.drawText(cell(3, i + 1, rowHeight), Qt::AlignLeft | Qt::AlignVCenter,
            QStringLiteral("%1 %2").arg(byteHex(r.key), byteBinary(r.key)));
        p.drawText(cell(4, i + 1, rowHeight), Qt::AlignLeft | Qt::AlignVCenter,
            QStringLiteral("%1 %2 %3").arg(byteHex(r.masked), byteBinary(r.masked), byteChar(r.masked)));
    }
    if (m_payload.size() > MaskingRowsShown) {
        p.setFont(normal);
        p.setPen(dim);
        p.drawText(
            QRect(m_maskRect.left(), y + (int(rows.size()) + 1) * rowHeight, m_maskRect.width(), fm.height() + Padding),
            Qt::AlignLeft | Qt::AlignVCenter,
            tr("The other %1 bytes follow the same pattern, with key bytes 0, 1, 2, 3, 0, 1, … in turn.")
                .arg(m_payload.size() - MaskingRowsShown));
    }
}
