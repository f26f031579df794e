#pragma once

#include "teach/framelayout.h"

#include <QAbstractScrollArea>
#include <QByteArray>

class QMenu;

// Hex view of one frame: its header bytes followed by its payload, as offset / hex / ASCII columns
// of 16 bytes. Header fields (FrameLayout) are tinted each in its own colour, with tooltips naming
// them; bytes shared by several fields (FIN..opcode, MASK + length) are split into bit-wide stripes.
//
// Only the visible rows are ever read or painted, so a 64 MiB payload opens at once: the view keeps
// the caller's QByteArrays (sharing, never detaching, so fromRawData views over capture memory stay
// views) and computes the masked bytes on the fly for the rows it paints or the bytes it copies.
class FrameHexView : public QAbstractScrollArea {
    Q_OBJECT
public:
    enum class CopyFormat { Hex, Base64, CArray, Text };
    Q_ENUM(CopyFormat)

    static constexpr int BytesPerRow = 16;

    explicit FrameHexView(QWidget *parent = nullptr);
    ~FrameHexView() override;

    // `header` is the frame's exact header (may be empty: a bare payload); `unmaskedPayload` follows it.
    // Both are shared, not copied: fromRawData views must stay valid until the next setFrame() or clear().
    // `compressed`: the frame belongs to a permessage-deflate compressed message (RSV1 and payload
    // are explained so).
    void setFrame(const QByteArray &header, const QByteArray &unmaskedPayload, bool compressed = false);
    void clear();

    const QByteArray &header() const { return m_header; }
    const QByteArray &payload() const { return m_payload; }
    const FrameLayout &layout() const { return m_layout; }
    qint64 totalSize() const { return m_layout.totalSize(); }

    // Show the payload as it travelled (XORed with the masking key) instead of unmasked. Only has an
    // effect on masked frames.
    void setShowMasked(bool masked);
    bool showMasked() const { return m_showMasked; }
    bool canShowMasked() const;

    // The byte at `offset` as currently displayed (masked or not); 0 outside the frame.
    quint8 displayedByte(qint64 offset) const;

    // Selection: a byte range, empty when length is 0. Selecting a field selects its bytes.
    void setSelection(qint64 start, qint64 length);
    void selectAll();
    void clearSelection();
    bool hasSelection() const { return m_selLength > 0; }
    qint64 selectionStart() const { return m_selStart; }
    qint64 selectionLength() const { return m_selLength; }
    qint64 cursorOffset() const { return m_cursor; }

    void selectField(FrameLayout::FieldId id);
    FrameLayout::FieldId selectedField() const { return m_selectedField; }

    // The selection (or the whole frame when nothing is selected), as displayed, in a copy format.
    QString copyText(CopyFormat format) const;
    QString copyAsHex() const { return copyText(CopyFormat::Hex); } // "81 05 48 65"
    QString copyAsBase64() const { return copyText(CopyFormat::Base64); }
    QString copyAsCArray() const { return copyText(CopyFormat::CArray); }
    QString copyAsText() const { return copyText(CopyFormat::Text); } // UTF-8, invalid bytes replaced
    // Puts copyText(format) on the clipboard.
    void copy(CopyFormat format = CopyFormat::Hex);

    // Geometry, for hit-testing and tests: viewport coordinates.
    qint64 byteAt(const QPoint &viewportPos) const; // -1 when no byte is there
    QRect hexCellRect(qint64 offset) const; // empty when the byte's row is scrolled out of view
    QRect asciiCellRect(qint64 offset) const;
    qint64 firstVisibleOffset() const;
    qint64 lastVisibleOffset() const; // -1 on an empty view
    void scrollToOffset(qint64 offset);
    // The tooltip shown over a byte: every field in it, with value and meaning.
    QString toolTipForByte(qint64 offset) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    // A field was selected (by click, keyboard or selectField()); None when a field selection ended.
    void fieldSelected(FrameLayout::FieldId id);
    void selectionChanged();
    void showMaskedChanged(bool masked);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    bool viewportEvent(QEvent *event) override;
    void changeEvent(QEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;

private:
    // Horizontal positions (content coordinates, before horizontal scrolling) of the three columns.
    struct Columns {
        int offsetX = 0;
        int hexX = 0;
        int asciiX = 0;
        int width = 0; // the whole content
        int headerHeight = 0; // the column-title line above the rows
    };
    Columns columns() const;
    void updateMetrics();
    void updateScrollBars();
    qint64 rowCount() const;
    int visibleRows() const;
    QByteArray bytesForCopy(qint64 start, qint64 length) const;
    void setSelectionInternal(qint64 anchor, qint64 cursor, FrameLayout::FieldId field);
    void moveCursor(qint64 to, bool extend);
    void selectFieldAtByte(qint64 offset, bool cycle);
    QColor fieldColor(FrameLayout::FieldId id) const;
    int offsetDigits() const;
    QMenu *createContextMenu();

    QByteArray m_header;
    QByteArray m_payload;
    FrameLayout m_layout;
    quint8 m_key[4] = {};
    bool m_showMasked = false;

    qint64 m_anchor = -1;
    qint64 m_cursor = -1;
    qint64 m_selStart = 0;
    qint64 m_selLength = 0;
    FrameLayout::FieldId m_selectedField = FrameLayout::FieldId::None;
    bool m_dragging = false;
    qint64 m_pressOffset = -1;
    bool m_pressMoved = false;

    // Character cell geometry of the monospace font.
    int m_charWidth = 8;
    int m_lineHeight = 16;
    int m_ascent = 12;
    int m_margin = 6;
};
