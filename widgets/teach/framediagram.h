#pragma once

#include "teach/framelayout.h"

#include <QByteArray>
#include <QList>
#include <QRect>
#include <QScrollArea>
#include <QString>

class FrameDiagramCanvas;

// The RFC 6455 §5.2 frame diagram drawn for one live frame: rows of 32 bits (bit numbers 0-31
// across the top, as in the RFC), each header field a box spanning its bits with the frame's real
// 0/1 digits in it, its name and its decoded value (from FrameLayout). The extended length and the
// masking key take rows only when the frame has them, and the payload is summarised, not drawn bit
// by bit. For masked frames a table works the masking through for the first payload bytes.
// Pointing at a field explains it; clicking one emits fieldClicked() so the window can select its
// bytes in the hex view. Field colours are the hex view's, so a field looks the same in both.
class FrameDiagram : public QScrollArea {
    Q_OBJECT
public:
    using FieldId = FrameLayout::FieldId;

    static constexpr int BitsPerRow = 32;
    static constexpr int MaskingRowsShown = 8;

    // One row of the masking table: payload byte `index` XOR key byte `index % 4`.
    struct MaskingRow {
        int index = 0;
        int keyIndex = 0;
        quint8 key = 0;
        quint8 unmasked = 0;
        quint8 masked = 0; // as on the wire

        friend bool operator==(const MaskingRow &, const MaskingRow &) = default;
    };

    explicit FrameDiagram(QWidget *parent = nullptr);
    ~FrameDiagram() override;

    // `header` is the frame's exact header; `unmaskedPayload` the payload after unmasking.
    // `compressed`: the frame belongs to a permessage-deflate compressed message (RSV1 and payload
    // are explained so).
    void setFrame(const QByteArray &header, const QByteArray &unmaskedPayload, bool compressed = false);
    void clear();
    bool isEmpty() const { return m_header.isEmpty(); }
    const FrameLayout &layout() const { return m_layout; }

    // Outlines a field (the window calls it when the hex view selects one); None clears it.
    void setSelectedField(FieldId id);
    FieldId selectedField() const { return m_selected; }

    // The painted surface inside the scroll area; every rectangle below is in its coordinates.
    QWidget *canvas() const;
    // The box that carries the field's label (the widest when a field wraps over rows); empty when absent.
    QRect fieldRect(FieldId id) const;
    QList<QRect> fieldSegments(FieldId id) const; // every box of the field, in wire order
    FieldId fieldAt(const QPoint &canvasPos) const; // boxes and legend lines; None elsewhere
    // The digit drawn for header bit `bit` (0 = most significant bit of byte 0): "0" or "1";
    // empty for bits outside the header.
    QString bitText(qint64 bit) const;
    QRect bitRect(qint64 bit) const; // the cell of a header bit; empty outside the header
    // "Opcode: 0x1 text": the field's name and decoded value, as the box and the legend show them.
    QString labelText(FieldId id) const;
    // Rich text for the tooltip: name, bits, value, meaning and any warning, all escaped.
    QString toolTipText(FieldId id) const;
    // The line under the diagram that explains the field pointed at (or selected).
    QString infoText() const { return m_infoText; }
    int headerRowCount() const; // rows of 32 bits the header needs (1 to 4)
    int rowCount() const { return int(m_rowTops.size()); } // header rows plus the payload summary row, if any

    // First up to MaskingRowsShown payload bytes; empty for unmasked frames.
    QList<MaskingRow> maskingRows() const;
    bool maskingTableShown() const { return !m_maskRect.isEmpty(); }
    QRect maskingTableRect() const { return m_maskRect; }

Q_SIGNALS:
    void fieldClicked(FrameLayout::FieldId id);

protected:
    void changeEvent(QEvent *event) override;

private:
    friend class FrameDiagramCanvas;

    struct Segment {
        FieldId id = FieldId::None; // None: header bits no field describes (a header cut short)
        int row = 0;
        int firstBit = 0; // 0..31 within the row
        int bitCount = 0;
        QRect rect;
        bool primary = false; // carries the label
        bool summary = false; // the payload row: a summary, no bits
    };
    struct LegendItem {
        FieldId id = FieldId::None;
        QRect rect;
        int nameWidth = 0; // of the legend column the item is in
        int bitsWidth = 0;
    };

    void relayout();
    void paintCanvas(QPainter &p, const QRect &exposed);
    void paintSegment(QPainter &p, const Segment &s);
    void paintMasking(QPainter &p);
    void setHovered(FieldId id);
    void updateInfo();
    void selectByKey(int step);
    QColor fieldColor(FieldId id) const;
    QString bitsText(const FrameLayout::Field &f) const;
    QString payloadPreview() const;
    QString title() const;
    int labelHeight(const Segment &s, int width) const;

    FrameDiagramCanvas *m_canvas = nullptr;
    QByteArray m_header;
    QByteArray m_payload; // unmasked
    FrameLayout m_layout;
    FieldId m_selected = FieldId::None;
    FieldId m_hovered = FieldId::None;
    QString m_infoText;

    // Geometry, recomputed by relayout() for the canvas width.
    int m_bitWidth = 24;
    int m_gridLeft = 0;
    int m_gridTop = 0;
    int m_digitHeight = 0;
    QRect m_titleRect;
    QRect m_rulerRect;
    QList<int> m_rowTops;
    QList<int> m_rowHeights;
    QList<Segment> m_segments;
    QRect m_infoRect;
    QList<LegendItem> m_legend;
    QRect m_maskRect;
    QList<int> m_maskColumns; // x of each column of the masking table
    int m_contentHeight = 0;
    int m_minimumWidth = 0;
};
