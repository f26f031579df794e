#pragma once

#include "decode/decoded.h"

#include <QByteArray>
#include <QWidget>

class FrameHexView;
class QAbstractItemModel;
class QLabel;
class QPlainTextEdit;
class QStandardItemModel;
class QTabWidget;
class QTreeView;

// The payload of the selected message, in the forms that suit it: text (always plain text, control
// characters escaped, invalid UTF-8 as \xNN), JSON (re-indented in the peer's own key order, and as
// a tree), a decoded close frame, and always the hex view with every byte.
//
// Widgets that cannot cope with huge documents only get the first textLimit() bytes, with a note;
// the hex view shares the caller's QByteArray and shows all of it.
class PayloadView : public QWidget {
    Q_OBJECT
public:
    // Decoded: what the protocol on top makes of the message (Socket.IO, STOMP, ...), when known.
    enum class Tab { Decoded, Text, Pretty, Tree, Hex };
    Q_ENUM(Tab)

    static constexpr qint64 DefaultTextLimit = 1024 * 1024;
    // Text with lines longer than 4096 characters is shown up to this many bytes: laying out such
    // lines costs about a second per MiB.
    static constexpr qint64 LongLineTextLimit = 256 * 1024;
    // The JSON tree stops after this many values (with a final "…" row).
    static constexpr int TreeRowLimit = 10000;

    explicit PayloadView(QWidget *parent = nullptr);
    ~PayloadView() override;

    // `opcode` is the frame's (or message's) opcode: text, binary, continuation, close, ping, pong,
    // or a reserved one. The payload is unmasked; it is shared, not copied, so a fromRawData view
    // must stay valid until the next setPayload() or clear().
    // `context` is said first in the note above the tabs ("A message of 3 frames, joined.").
    void setPayload(quint8 opcode, const QByteArray &payload, const QString &context = QString());
    void clear();
    // After setPayload(): the message as its protocol on top reads it, as a tree, in a tab named
    // after the protocol that comes first; `pairing` says which message answers it. A null
    // Decoded shows no such tab.
    void setDecoded(const Decode::Decoded &decoded, const QString &pairing = QString());
    QAbstractItemModel *decodedModel() const;

    void setTextLimit(qint64 bytes);
    qint64 textLimit() const { return m_textLimit; }

    // What is shown, for the application and tests.
    bool hasTab(Tab tab) const;
    Tab currentTab() const;
    void setCurrentTab(Tab tab);
    QString text() const; // the Text (or Close) tab
    // Pretty and Tree are built when first shown; these build them if they are still pending.
    QString prettyJson();
    QAbstractItemModel *jsonModel();
    QString note() const; // the line above the tabs; empty when there is nothing to say
    bool isJson() const { return m_isJson; }
    bool isTruncated() const { return m_truncated; }
    FrameHexView *hexView() const { return m_hex; }

private:
    void showText(quint8 opcode, const QByteArray &payload);
    void showClose(const QByteArray &payload);
    bool showJson(const QByteArray &payload);
    void buildPending(int tabIndex);
    void setTabShown(Tab tab, bool shown);
    void setNote(const QString &note);
    void chooseTab(Tab preferred);

    QLabel *m_note = nullptr;
    QTabWidget *m_tabs = nullptr;
    QPlainTextEdit *m_text = nullptr;
    QPlainTextEdit *m_pretty = nullptr;
    QTreeView *m_decodedTree = nullptr;
    QStandardItemModel *m_decodedModel = nullptr;
    QTreeView *m_tree = nullptr;
    QStandardItemModel *m_jsonModel = nullptr;
    FrameHexView *m_hex = nullptr;

    qint64 m_textLimit = DefaultTextLimit;
    QByteArray m_json;
    QString m_context; // what the caller said about the payload
    QString m_noteBody; // what the view says about it // the payload while Pretty or Tree is still to be built (shared, not copied)
    bool m_prettyPending = false;
    bool m_treePending = false;
    bool m_isJson = false;
    bool m_truncated = false;
    int m_userTab = -1; // the tab the user last picked; kept across messages when it applies
};
