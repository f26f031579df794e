#include "inspect/framehexview.h"

#include "common/fieldcolors.h"
#include "common/palettecolors.h"

#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QFontDatabase>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QMenu>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>
#include <QtEndian>

using FieldId = FrameLayout::FieldId;

namespace {

constexpr int kHexColumns = FrameHexView::BytesPerRow * 3 + 1; // "xx " per byte, one extra space mid-row
constexpr int kColumnGap = 2; // characters between the offset, hex and ASCII columns

// Character column of byte `j` of a row inside the hex column.
int hexColumn(int j)
{
    return j * 3 + (j >= FrameHexView::BytesPerRow / 2 ? 1 : 0);
}

const QString &hexPair(quint8 value)
{
    static const QList<QString> pairs = [] {
        QList<QString> list;
        list.reserve(256);
        for (int i = 0; i < 256; ++i)
            list.append(QStringLiteral("%1").arg(i, 2, 16, QLatin1Char('0')));
        return list;
    }();
    return pairs.at(value);
}

QChar asciiChar(quint8 value)
{
    return value >= 0x20 && value < 0x7F ? QChar(QLatin1Char(char(value))) : QChar(QLatin1Char('.'));
}

using PaletteColors::mix;

} // namespace

FrameHexView::FrameHexView(QWidget *parent)
    : QAbstractScrollArea(parent)
{
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setFocusPolicy(Qt::StrongFocus);
    viewport()->setMouseTracking(false);
    viewport()->setAutoFillBackground(false);
    updateMetrics();
}

FrameHexView::~FrameHexView() = default;

void FrameHexView::setFrame(const QByteArray &header, const QByteArray &unmaskedPayload, bool compressed)
{
    // Shallow copies: QByteArray shares its data, and fromRawData views stay views as long as only
    // const accessors touch them.
    m_header = header;
    m_payload = unmaskedPayload;
    m_layout = FrameLayout(m_header, m_payload.size(), compressed);
    qToBigEndian(canShowMasked() ? m_layout.header().maskingKey : quint32(0), m_key);
    m_anchor = -1;
    m_cursor = m_layout.totalSize() > 0 ? 0 : -1;
    const bool hadSelection = m_selLength > 0;
    const bool hadField = m_selectedField != FieldId::None;
    m_selStart = 0;
    m_selLength = 0;
    m_selectedField = FieldId::None;
    verticalScrollBar()->setValue(0);
    horizontalScrollBar()->setValue(0);
    updateScrollBars();
    viewport()->update();
    updateGeometry();
    if (hadSelection)
        Q_EMIT selectionChanged();
    if (hadField)
        Q_EMIT fieldSelected(FieldId::None);
}

void FrameHexView::clear()
{
    setFrame(QByteArray(), QByteArray());
}

bool FrameHexView::canShowMasked() const
{
    return m_layout.hasHeader() && m_layout.isComplete() && m_layout.header().masked;
}

void FrameHexView::setShowMasked(bool masked)
{
    if (m_showMasked == masked)
        return;
    m_showMasked = masked;
    viewport()->update();
    Q_EMIT showMaskedChanged(masked);
}

quint8 FrameHexView::displayedByte(qint64 offset) const
{
    const qint64 headerSize = m_header.size();
    if (offset < 0 || offset >= headerSize + m_payload.size())
        return 0;
    if (offset < headerSize)
        return quint8(m_header.constData()[offset]);
    const qint64 i = offset - headerSize;
    const auto value = quint8(m_payload.constData()[i]);
    return m_showMasked && canShowMasked() ? quint8(value ^ m_key[i % 4]) : value;
}

// --- selection ---------------------------------------------------------------------------------

void FrameHexView::setSelectionInternal(qint64 anchor, qint64 cursor, FieldId field)
{
    const qint64 total = totalSize();
    qint64 start = 0;
    qint64 length = 0;
    if (anchor >= 0 && cursor >= 0 && total > 0) {
        anchor = qBound<qint64>(0, anchor, total - 1);
        cursor = qBound<qint64>(0, cursor, total - 1);
        start = qMin(anchor, cursor);
        length = qAbs(cursor - anchor) + 1;
    }
    m_anchor = anchor;
    if (cursor >= 0)
        m_cursor = qBound<qint64>(0, cursor, qMax<qint64>(0, total - 1));
    const bool selectionChangedNow = start != m_selStart || length != m_selLength;
    const bool fieldChanged = field != m_selectedField;
    m_selStart = start;
    m_selLength = length;
    m_selectedField = field;
    viewport()->update();
    if (selectionChangedNow)
        Q_EMIT selectionChanged();
    if (fieldChanged)
        Q_EMIT fieldSelected(field);
}

void FrameHexView::setSelection(qint64 start, qint64 length)
{
    if (length <= 0 || start < 0 || start >= totalSize()) {
        clearSelection();
        return;
    }
    setSelectionInternal(start, qMin(start + length, totalSize()) - 1, FieldId::None);
}

void FrameHexView::selectAll()
{
    if (totalSize() > 0)
        setSelectionInternal(0, totalSize() - 1, FieldId::None);
}

void FrameHexView::clearSelection()
{
    setSelectionInternal(-1, m_cursor, FieldId::None);
}

void FrameHexView::selectField(FieldId id)
{
    const FrameLayout::Field *f = m_layout.field(id);
    if (!f) {
        clearSelection();
        return;
    }
    if (f->byteCount == 0) {
        // An empty payload is a field without bytes: selected, but nothing to highlight.
        setSelectionInternal(-1, m_cursor, id);
        return;
    }
    setSelectionInternal(f->byteOffset, f->endByte() - 1, id);
    scrollToOffset(f->byteOffset);
}

void FrameHexView::selectFieldAtByte(qint64 offset, bool cycle)
{
    const QList<const FrameLayout::Field *> fields = m_layout.fieldsAtByte(offset);
    if (fields.isEmpty()) {
        setSelectionInternal(offset, offset, FieldId::None);
        return;
    }
    qsizetype next = 0;
    if (cycle) {
        for (qsizetype i = 0; i < fields.size(); ++i) {
            if (fields.at(i)->id == m_selectedField) {
                next = (i + 1) % fields.size();
                break;
            }
        }
    }
    const FrameLayout::Field *f = fields.at(next);
    setSelectionInternal(f->byteOffset, f->endByte() - 1, f->id);
    // The cursor stays where the user clicked; the anchor stays at the field's start.
    m_cursor = offset;
}

void FrameHexView::moveCursor(qint64 to, bool extend)
{
    const qint64 total = totalSize();
    if (total == 0)
        return;
    to = qBound<qint64>(0, to, total - 1);
    if (extend) {
        const qint64 anchor = m_anchor >= 0 ? m_anchor : (m_cursor >= 0 ? m_cursor : to);
        setSelectionInternal(anchor, to, FieldId::None);
    } else {
        m_cursor = to;
        setSelectionInternal(-1, to, FieldId::None);
        m_anchor = to; // a later Shift+arrow extends from here
    }
    scrollToOffset(to);
}

// --- copying -----------------------------------------------------------------------------------

QByteArray FrameHexView::bytesForCopy(qint64 start, qint64 length) const
{
    QByteArray out;
    if (length <= 0)
        return out;
    out.resize(length);
    char *dst = out.data();
    const qint64 headerSize = m_header.size();
    qint64 pos = start;
    if (pos < headerSize) {
        const qint64 n = qMin(headerSize - pos, length);
        std::memcpy(dst, m_header.constData() + pos, size_t(n));
        dst += n;
        pos += n;
    }
    const qint64 end = start + length;
    if (pos < end) {
        const qint64 payloadOffset = pos - headerSize;
        const qint64 n = end - pos;
        std::memcpy(dst, m_payload.constData() + payloadOffset, size_t(n));
        if (m_showMasked && canShowMasked())
            applyMask(dst, n, m_layout.header().maskingKey, quint64(payloadOffset));
    }
    return out;
}

QString FrameHexView::copyText(CopyFormat format) const
{
    const QByteArray bytes = hasSelection() ? bytesForCopy(m_selStart, m_selLength) : bytesForCopy(0, totalSize());
    switch (format) {
    case CopyFormat::Hex:
        return QString::fromLatin1(bytes.toHex(' '));
    case CopyFormat::Base64:
        return QString::fromLatin1(bytes.toBase64());
    case CopyFormat::CArray: {
        constexpr int perLine = 12;
        QString out = QStringLiteral("const unsigned char bytes[%1] = {").arg(bytes.size());
        out.reserve(out.size() + bytes.size() * 6 + bytes.size() / perLine * 5 + 8);
        for (qsizetype i = 0; i < bytes.size(); ++i) {
            out += i % perLine == 0 ? QStringLiteral("\n    ") : QStringLiteral(" ");
            out += QStringLiteral("0x") + hexPair(quint8(bytes.at(i)));
            if (i + 1 < bytes.size())
                out += QLatin1Char(',');
        }
        out += QStringLiteral("\n};");
        return out;
    }
    case CopyFormat::Text:
        return QString::fromUtf8(bytes);
    }
    return QString();
}

void FrameHexView::copy(CopyFormat format)
{
    if (totalSize() == 0)
        return;
    QApplication::clipboard()->setText(copyText(format));
}

// --- geometry ----------------------------------------------------------------------------------

void FrameHexView::updateMetrics()
{
    const QFontMetrics fm(font());
    m_charWidth = qMax(1, fm.horizontalAdvance(QLatin1Char('0')));
    // A little air above and below each row keeps the field tints of adjacent rows apart.
    m_lineHeight = fm.height() + 4;
    m_ascent = fm.ascent() + 2;
    m_margin = m_charWidth;
    updateScrollBars();
    updateGeometry();
    viewport()->update();
}

int FrameHexView::offsetDigits() const
{
    int digits = 8;
    quint64 last = quint64(qMax<qint64>(0, totalSize() - 1));
    last >>= 32;
    while (last) {
        digits += 1;
        last >>= 4;
    }
    return digits;
}

FrameHexView::Columns FrameHexView::columns() const
{
    const int cw = m_charWidth;
    const int digits = offsetDigits();
    Columns c;
    c.offsetX = m_margin;
    c.hexX = c.offsetX + (digits + kColumnGap) * cw;
    c.asciiX = c.hexX + (kHexColumns - 1 + kColumnGap) * cw;
    c.width = c.asciiX + BytesPerRow * cw + m_margin;
    c.headerHeight = m_lineHeight + 2;
    return c;
}

qint64 FrameHexView::rowCount() const
{
    return (totalSize() + BytesPerRow - 1) / BytesPerRow;
}

int FrameHexView::visibleRows() const
{
    return qMax(1, (viewport()->height() - columns().headerHeight) / m_lineHeight);
}

void FrameHexView::updateScrollBars()
{
    const Columns cols = columns();
    const qint64 rows = rowCount();
    const int visible = visibleRows();
    verticalScrollBar()->setRange(0, int(qBound(qint64(0), rows - visible, qint64(std::numeric_limits<int>::max()))));
    verticalScrollBar()->setPageStep(visible);
    verticalScrollBar()->setSingleStep(1);
    horizontalScrollBar()->setRange(0, qMax(0, cols.width - viewport()->width()));
    horizontalScrollBar()->setPageStep(viewport()->width());
    horizontalScrollBar()->setSingleStep(m_charWidth);
}

QSize FrameHexView::sizeHint() const
{
    const Columns cols = columns();
    const int frame = 2 * frameWidth();
    const int rows = int(qBound(qint64(4), rowCount(), qint64(16)));
    return { cols.width + frame + verticalScrollBar()->sizeHint().width(),
        cols.headerHeight + rows * m_lineHeight + frame };
}

QSize FrameHexView::minimumSizeHint() const
{
    return { m_charWidth * 24, columns().headerHeight + 3 * m_lineHeight + 2 * frameWidth() };
}

qint64 FrameHexView::firstVisibleOffset() const
{
    return totalSize() == 0 ? -1 : qint64(verticalScrollBar()->value()) * BytesPerRow;
}

qint64 FrameHexView::lastVisibleOffset() const
{
    if (totalSize() == 0)
        return -1;
    return qMin(totalSize(), (qint64(verticalScrollBar()->value()) + visibleRows()) * BytesPerRow) - 1;
}

void FrameHexView::scrollToOffset(qint64 offset)
{
    if (offset < 0 || offset >= totalSize())
        return;
    const qint64 row = offset / BytesPerRow;
    const qint64 first = verticalScrollBar()->value();
    if (row < first)
        verticalScrollBar()->setValue(int(row));
    else if (row >= first + visibleRows())
        verticalScrollBar()->setValue(int(row - visibleRows() + 1));
}

QRect FrameHexView::hexCellRect(qint64 offset) const
{
    const Columns cols = columns();
    const int cw = m_charWidth;
    const int headerHeight = cols.headerHeight;
    const qint64 row = offset / BytesPerRow - verticalScrollBar()->value();
    if (offset < 0 || offset >= totalSize() || row < 0 || row > visibleRows())
        return {};
    const int j = int(offset % BytesPerRow);
    return { cols.hexX + hexColumn(j) * cw - cw / 2 - horizontalScrollBar()->value(),
        headerHeight + int(row) * m_lineHeight, 3 * cw, m_lineHeight };
}

QRect FrameHexView::asciiCellRect(qint64 offset) const
{
    const Columns cols = columns();
    const int cw = m_charWidth;
    const int headerHeight = cols.headerHeight;
    const qint64 row = offset / BytesPerRow - verticalScrollBar()->value();
    if (offset < 0 || offset >= totalSize() || row < 0 || row > visibleRows())
        return {};
    const int j = int(offset % BytesPerRow);
    return { cols.asciiX + j * cw - horizontalScrollBar()->value(), headerHeight + int(row) * m_lineHeight, cw,
        m_lineHeight };
}

qint64 FrameHexView::byteAt(const QPoint &pos) const
{
    const Columns cols = columns();
    const int cw = m_charWidth;
    const int headerHeight = cols.headerHeight;
    if (pos.y() < headerHeight)
        return -1;
    const int x = pos.x() + horizontalScrollBar()->value();
    const qint64 row = verticalScrollBar()->value() + (pos.y() - headerHeight) / m_lineHeight;
    int j = -1;
    if (x >= cols.hexX - cw / 2 && x < cols.hexX + (kHexColumns - 1) * cw + cw / 2) {
        for (int k = 0; k < BytesPerRow; ++k) {
            const int left = cols.hexX + hexColumn(k) * cw - cw / 2;
            if (x >= left && x < left + 3 * cw) {
                j = k;
                break;
            }
        }
    } else if (x >= cols.asciiX && x < cols.asciiX + BytesPerRow * cw) {
        j = (x - cols.asciiX) / cw;
    }
    if (j < 0)
        return -1;
    const qint64 offset = row * BytesPerRow + j;
    return offset < totalSize() ? offset : -1;
}

// --- painting ----------------------------------------------------------------------------------

QColor FrameHexView::fieldColor(FieldId id) const
{
    const QPalette &pal = palette();
    // A bare payload (no header) is not tinted at all.
    if (id == FieldId::Payload && !m_layout.hasHeader())
        return pal.color(QPalette::Base);
    return FieldColors::color(id, pal);
}

void FrameHexView::paintEvent(QPaintEvent *)
{
    const Columns cols = columns();
    const int cw = m_charWidth;
    const int headerHeight = cols.headerHeight;
    QPainter p(viewport());
    const QPalette &pal = palette();
    p.fillRect(viewport()->rect(), pal.base());
    p.setFont(font());
    p.translate(-horizontalScrollBar()->value(), 0);

    const QColor text = pal.color(QPalette::Text);
    const QColor dim = mix(pal.color(QPalette::Base), text, 0.55);
    const QColor highlight = pal.color(QPalette::Highlight);
    const QColor highlightedText = pal.color(QPalette::HighlightedText);
    const qint64 headerSize = m_header.size();
    const qint64 total = totalSize();
    const int digits = offsetDigits();

    // Column titles.
    p.setPen(dim);
    const int titleBaseline = m_ascent;
    p.drawText(cols.offsetX, titleBaseline, tr("offset").rightJustified(digits, QLatin1Char(' ')));
    for (int j = 0; j < BytesPerRow; ++j)
        p.drawText(cols.hexX + hexColumn(j) * cw, titleBaseline, hexPair(quint8(j)));
    for (int j = 0; j < BytesPerRow; ++j)
        p.drawText(cols.asciiX + j * cw, titleBaseline, QString(QChar(QLatin1Char("0123456789abcdef"[j]))));
    p.setPen(mix(pal.color(QPalette::Base), text, 0.2));
    p.drawLine(0, headerHeight - 1, cols.width, headerHeight - 1);
    // Faint rules between the offset, hex and ASCII columns.
    const int ruleLeft = cols.hexX - (kColumnGap * cw) / 2 - cw / 4;
    const int ruleRight = cols.asciiX - (kColumnGap * cw) / 2;
    p.drawLine(ruleLeft, 0, ruleLeft, viewport()->height());
    p.drawLine(ruleRight, 0, ruleRight, viewport()->height());
    p.setClipRect(QRect(0, headerHeight, cols.width, viewport()->height() - headerHeight));

    const FrameLayout::Field *selected = m_layout.field(m_selectedField);
    const qint64 firstRow = verticalScrollBar()->value();
    const int rowsToPaint = (viewport()->height() - headerHeight) / m_lineHeight + 1;
    const qint64 rows = rowCount();

    // Fills `rect` with the colours of the fields in byte `offset`, one stripe per bit when the byte
    // is shared; returns whether the byte holds more than one field.
    const auto paintFieldBackground = [&](const QRectF &rect, qint64 offset) {
        if (offset >= headerSize || m_layout.fieldsAtByte(offset).size() < 2) {
            const FrameLayout::Field *f = m_layout.fieldAtByte(offset);
            if (f && (f->id != FieldId::Payload || m_layout.hasHeader()))
                p.fillRect(rect, fieldColor(f->id));
            return;
        }
        const qreal bitWidth = rect.width() / 8;
        for (int bit = 0; bit < 8;) {
            const FrameLayout::Field *f = m_layout.fieldAtBit(offset * 8 + bit);
            int end = bit + 1;
            while (end < 8 && m_layout.fieldAtBit(offset * 8 + end) == f)
                ++end;
            const QRectF stripe(rect.left() + bit * bitWidth, rect.top(), (end - bit) * bitWidth, rect.height());
            p.fillRect(stripe, fieldColor(f ? f->id : FieldId::None));
            if (selected && f == selected) {
                // Only some bits of this byte are selected: mark them without hiding the digits.
                QColor wash = highlight;
                wash.setAlphaF(0.45f);
                p.fillRect(stripe, wash);
                p.fillRect(QRectF(stripe.left(), stripe.bottom() - 2, stripe.width(), 2), highlight);
            }
            bit = end;
        }
    };

    const bool focused = hasFocus();
    for (int i = 0; i < rowsToPaint; ++i) {
        const qint64 row = firstRow + i;
        if (row >= rows)
            break;
        const int y = headerHeight + i * m_lineHeight;
        const int baseline = y + m_ascent;
        p.setPen(dim);
        p.drawText(cols.offsetX, baseline, QStringLiteral("%1").arg(row * BytesPerRow, digits, 16, QLatin1Char('0')));

        for (int j = 0; j < BytesPerRow; ++j) {
            const qint64 offset = row * BytesPerRow + j;
            if (offset >= total)
                break;
            const quint8 value = displayedByte(offset);
            const QRectF hexRect(cols.hexX + hexColumn(j) * cw - cw / 2.0, y, 3 * cw, m_lineHeight);
            const QRectF asciiRect(cols.asciiX + j * cw, y, cw, m_lineHeight);
            const bool inSelection = offset >= m_selStart && offset < m_selStart + m_selLength;
            const bool partial = inSelection && selected && selected->bitCount < 8 && offset < headerSize
                && m_layout.fieldsAtByte(offset).size() > 1;
            QColor pen = text;
            if (inSelection && !partial) {
                p.fillRect(hexRect, highlight);
                p.fillRect(asciiRect, highlight);
                pen = highlightedText;
            } else {
                paintFieldBackground(hexRect, offset);
                paintFieldBackground(asciiRect, offset);
            }
            if (focused && offset == m_cursor) {
                p.setPen(QPen(inSelection && !partial ? highlightedText : highlight, 1));
                p.drawRect(hexRect.adjusted(0.5, 0.5, -0.5, -0.5));
                p.drawRect(asciiRect.adjusted(0.5, 0.5, -0.5, -0.5));
            }
            p.setPen(pen);
            p.drawText(QPointF(cols.hexX + hexColumn(j) * cw, baseline), hexPair(value));
            p.drawText(QPointF(asciiRect.left(), baseline), QString(asciiChar(value)));
        }
    }
}

// --- events ------------------------------------------------------------------------------------

void FrameHexView::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBars();
}

void FrameHexView::changeEvent(QEvent *event)
{
    QAbstractScrollArea::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        updateMetrics();
    else if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange)
        viewport()->update();
}

QString FrameHexView::toolTipForByte(qint64 offset) const
{
    if (offset < 0 || offset >= totalSize())
        return QString();
    const quint8 value = displayedByte(offset);
    const QString binary = QStringLiteral("%1").arg(value, 8, 2, QLatin1Char('0'));
    QString html = tr("<p style='white-space:pre'>Offset %1: <b>0x%2</b> = %3 %4</p>")
                       .arg(offset)
                       .arg(hexPair(value), binary.left(4), binary.mid(4));
    const qint64 headerSize = m_header.size();
    for (const FrameLayout::Field *f : m_layout.fieldsAtByte(offset)) {
        QString where;
        if (f->id == FieldId::Payload) {
            const qint64 index = offset - headerSize;
            where = tr("byte %1 of %2").arg(index + 1).arg(f->byteCount);
            if (canShowMasked()) {
                const auto plain = quint8(m_payload.constData()[index]);
                const auto wire = quint8(plain ^ m_key[index % 4]);
                where += tr("; unmasked 0x%1, on the wire 0x%2 (XOR key byte %3)")
                             .arg(hexPair(plain), hexPair(wire))
                             .arg(index % 4);
            }
        } else if (f->bitCount < 8) {
            const qint64 first = f->bitOffset - offset * 8;
            where
                = f->bitCount == 1 ? tr("bit %1").arg(first) : tr("bits %1-%2").arg(first).arg(first + f->bitCount - 1);
            where += tr(" of this byte");
        } else {
            where = tr("bytes %1-%2").arg(f->byteOffset).arg(f->endByte() - 1);
        }
        html += QStringLiteral("<p><b>%1</b>: %2 <i>(%3)</i><br>%4")
                    .arg(f->name.toHtmlEscaped(), f->valueText.toHtmlEscaped(), where.toHtmlEscaped(),
                        f->meaning.toHtmlEscaped());
        if (!f->warning.isEmpty())
            html += tr("<br><b>Warning:</b> %1").arg(f->warning.toHtmlEscaped());
        html += QStringLiteral("</p>");
    }
    return html;
}

bool FrameHexView::viewportEvent(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        const auto *help = static_cast<QHelpEvent *>(event);
        const qint64 offset = byteAt(help->pos());
        if (offset < 0) {
            QToolTip::hideText();
            event->ignore();
            return true;
        }
        const bool inHex = hexCellRect(offset).contains(help->pos());
        QToolTip::showText(
            help->globalPos(), toolTipForByte(offset), viewport(), inHex ? hexCellRect(offset) : asciiCellRect(offset));
        return true;
    }
    return QAbstractScrollArea::viewportEvent(event);
}

void FrameHexView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton) {
        QAbstractScrollArea::mousePressEvent(event);
        return;
    }
    const qint64 offset = byteAt(event->position().toPoint());
    if (offset < 0)
        return;
    if (event->modifiers() & Qt::ShiftModifier) {
        moveCursor(offset, true);
        return;
    }
    m_dragging = true;
    m_pressOffset = offset;
    m_pressMoved = false;
    m_cursor = offset;
    viewport()->update();
}

void FrameHexView::mouseMoveEvent(QMouseEvent *event)
{
    if (!m_dragging)
        return;
    QPoint pos = event->position().toPoint();
    // Dragging past the top or bottom edge scrolls one row at a time.
    if (pos.y() < m_lineHeight + 2)
        verticalScrollBar()->setValue(verticalScrollBar()->value() - 1);
    else if (pos.y() >= viewport()->height())
        verticalScrollBar()->setValue(verticalScrollBar()->value() + 1);
    pos.setY(qBound(m_lineHeight + 2, pos.y(), viewport()->height() - 1));
    const qint64 offset = byteAt(pos);
    if (offset < 0 || (offset == m_pressOffset && !m_pressMoved))
        return;
    m_pressMoved = true;
    setSelectionInternal(m_pressOffset, offset, FieldId::None);
}

void FrameHexView::mouseReleaseEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton) {
        QAbstractScrollArea::mouseReleaseEvent(event);
        return;
    }
    if (!m_dragging)
        return; // the press extended the selection (Shift+click)
    m_dragging = false;
    // A click without a drag selects the field under it; clicking again a byte shared by several
    // fields (FIN, RSV1-3, opcode) steps to the next of them.
    if (!m_pressMoved)
        selectFieldAtByte(m_pressOffset, true);
}

void FrameHexView::keyPressEvent(QKeyEvent *event)
{
    if (event == QKeySequence::Copy) {
        copy(CopyFormat::Hex);
        return;
    }
    if (event == QKeySequence::SelectAll) {
        selectAll();
        return;
    }
    const qint64 total = totalSize();
    if (total == 0) {
        QAbstractScrollArea::keyPressEvent(event);
        return;
    }
    const bool extend = event->modifiers() & Qt::ShiftModifier;
    const bool ctrl = event->modifiers() & Qt::ControlModifier;
    const qint64 cursor = qMax<qint64>(0, m_cursor);
    const qint64 page = qint64(visibleRows()) * BytesPerRow;
    switch (event->key()) {
    case Qt::Key_Left:
        moveCursor(cursor - 1, extend);
        break;
    case Qt::Key_Right:
        moveCursor(cursor + 1, extend);
        break;
    case Qt::Key_Up:
        moveCursor(cursor - BytesPerRow, extend);
        break;
    case Qt::Key_Down:
        moveCursor(cursor + BytesPerRow, extend);
        break;
    case Qt::Key_PageUp:
        moveCursor(cursor - page, extend);
        break;
    case Qt::Key_PageDown:
        moveCursor(cursor + page, extend);
        break;
    case Qt::Key_Home:
        moveCursor(ctrl ? 0 : cursor - cursor % BytesPerRow, extend);
        break;
    case Qt::Key_End:
        moveCursor(ctrl ? total - 1 : cursor - cursor % BytesPerRow + BytesPerRow - 1, extend);
        break;
    case Qt::Key_Escape:
        clearSelection();
        break;
    default:
        QAbstractScrollArea::keyPressEvent(event);
    }
}

QMenu *FrameHexView::createContextMenu()
{
    auto *menu = new QMenu(this);
    const QString scope = hasSelection() ? tr("Selection") : tr("Frame");
    const struct {
        CopyFormat format;
        QString label;
    } entries[] = {
        { CopyFormat::Hex, tr("Copy %1 as &Hex").arg(scope) },
        { CopyFormat::Base64, tr("Copy %1 as &Base64").arg(scope) },
        { CopyFormat::CArray, tr("Copy %1 as &C Array").arg(scope) },
        { CopyFormat::Text, tr("Copy %1 as &Text").arg(scope) },
    };
    for (const auto &entry : entries) {
        QAction *action = menu->addAction(entry.label, this, [this, format = entry.format] { copy(format); });
        action->setEnabled(totalSize() > 0);
        if (entry.format == CopyFormat::Hex)
            action->setShortcut(QKeySequence::Copy);
    }
    menu->addSeparator();
    QAction *all = menu->addAction(tr("Select &All"), this, &FrameHexView::selectAll);
    all->setShortcut(QKeySequence::SelectAll);
    menu->addSeparator();
    QAction *masked = menu->addAction(tr("Show Payload &Masked (as on the wire)"));
    masked->setCheckable(true);
    masked->setChecked(m_showMasked);
    masked->setEnabled(canShowMasked());
    connect(masked, &QAction::toggled, this, &FrameHexView::setShowMasked);
    return menu;
}

void FrameHexView::contextMenuEvent(QContextMenuEvent *event)
{
    QMenu *menu = createContextMenu();
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->popup(event->globalPos());
}
