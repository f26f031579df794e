#!/usr/bin/env bash
# Fails when a pane hands a user-visible setter an untranslated word, `setText(QStringLiteral("Stop"))`
# instead of `setText(tr("Stop"))` (DESIGN.md: every user-visible string through tr()), and lists
# file:line for each. A heuristic, not a parser: it reads the arguments of the calls below at their
# top level only (so `setText(settings.value(QStringLiteral("key")))` passes) and flags a
# QStringLiteral whose text still has a word once mnemonics, %1 placeholders and escapes are gone.
# Strings built elsewhere and passed in a variable are not seen.
#   scripts/check-tr.sh [source-dir]        (ctest runs it as check_tr, label lint)
# perl-base is essential on Debian, so this needs nothing installed.
set -euo pipefail
cd "${1:-$(dirname "$0")/..}"

mapfile -t files < <(find widgets -name '*.cpp' -o -name '*.h' | sort)
files+=(app/mainwindow.cpp app/main.cpp)

exec perl - "${files[@]}" <<'PERL'
use strict;
use warnings;

my $calls = join '|', qw(
    setText setToolTip setStatusTip setWhatsThis setPlaceholderText setWindowTitle setTitle
    setAccessibleName setAccessibleDescription setSpecialValueText setSuffix setPrefix
    addTab insertTab setTabText setTabToolTip addAction addMenu addItem insertItem showMessage
    setInformativeText setDetailedText addButton
    QLabel QPushButton QCheckBox QRadioButton QGroupBox QToolButton QAction QMenu
    information warning critical question);
$calls = 'QMessageBox\s+\w+|' . $calls; # QMessageBox box(QMessageBox::Warning, title, text)
my $str = qr/"(?:[^"\\\n]|\\.)*"/;
my $chr = qr/'(?:[^'\\\n]|\\.)*'/;

my @bad;
for my $file (@ARGV) {
    open my $fh, '<', $file or die "$file: $!\n";
    my $src = do { local $/; <$fh> };
    # Blank out comments, keeping their line breaks so that line numbers stay right.
    $src =~ s{($str|$chr)|//[^\n]*|/\*(.*?)\*/}{defined $1 ? $1 : defined $2 ? ($2 =~ tr/\n//cdr) : ''}gse;

    while ($src =~ /\b(?:$calls)\s*\(/g) {
        my $resume = pos $src;
        my $depth = 0;
        # Walk the argument list up to its closing parenthesis.
        while (1) {
            if ($src =~ /\G(?:$str|$chr)/gc) { next; }
            if ($depth == 0 && $src =~ /\GQStringLiteral\(\s*((?:$str\s*)+)\)/gc) {
                my $at = $-[0];
                my $text = join '', ($1 =~ /"((?:[^"\\]|\\.)*)"/g);
                (my $words = $text) =~ s/\\(?:u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|x[0-9a-fA-F]+|.)/ /g;
                $words =~ s/%L?\d+//g;
                $words =~ s/&(?=\w)//g;
                if ($words =~ /[A-Za-z]{2,}/) {
                    my $line = 1 + (substr($src, 0, $at) =~ tr/\n//);
                    push @bad, "$file:$line: QStringLiteral(\"$text\") is shown to the user: use tr()";
                }
                next;
            }
            last unless $src =~ /\G(.)/gcs;
            my $c = $1;
            if ($c =~ /[({\[]/) { $depth++; }
            elsif ($c =~ /[)}\]]/) { last if $depth-- == 0; }
            elsif ($c eq ';') { last; }
        }
        pos($src) = $resume;
    }
}

my %seen;
@bad = grep { !$seen{$_}++ } @bad;
print "$_\n" for @bad;
if (@bad) {
    printf "%d user-visible string(s) not through tr()\n", scalar @bad;
    exit 1;
}
printf "check-tr: no untranslated user-visible string in %d files\n", scalar @ARGV;
PERL
