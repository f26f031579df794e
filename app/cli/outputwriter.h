#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QObject>
#include <QTimer>

// Buffered writer for standard output. Events are formatted straight into buffer(); the bytes go
// out in large writes: when the buffer passes a threshold, at exit, and when the event loop is about
// to wait: at once to a terminal (a person is watching), at most IdleFlushMs later to a pipe or a
// file.
// Never one write per line: the command line prints about a million frames a second.
class OutputWriter : public QObject {
    Q_OBJECT
public:
    explicit OutputWriter(int fd = 1, QObject *parent = nullptr);
    ~OutputWriter() override;

    QByteArray &buffer() { return m_buffer; }
    // Call after appending: writes once enough has piled up.
    void commit()
    {
        if (m_buffer.size() >= m_threshold)
            flush();
    }
    void write(QByteArrayView bytes)
    {
        m_buffer.append(bytes);
        commit();
    }
    void flush();
    bool isTerminal() const { return m_terminal; }

    static constexpr int IdleFlushMs = 10;

private:
    void flushWhenIdle();

    int m_fd;
    bool m_terminal;
    bool m_broken = false; // the reader went away (EPIPE): drop further output
    qsizetype m_threshold;
    QByteArray m_buffer;
    QTimer m_idleFlush;
};
