#!/bin/sh
# bench/chart.sh [FILE]: an SVG chart, on stdout, of what `make bench`
# printed (FILE, or stdin): the cost of combining k decryption shares
# against k, beside its floor (the rows named exactly "combine k=N"), and
# a whole request against the size of the committee: the wall time of its
# steps 1-7 and the CPU time of the whole ccc-flow run (the "request n=N
# t=T ... ms ... s CPU" lines of the flow section).  A panel without
# its lines says so.  POSIX sh and awk; the same input gives the same bytes.
#
#   make bench | bench/chart.sh >doc/bench-chart.svg
set -eu
LC_ALL=C
export LC_ALL
case ${1:--} in
-h | --help)
	sed -n '2,10s/^# \{0,1\}//p' "$0"
	exit 0
	;;
esac
if [ $# -gt 1 ]; then
	echo "chart.sh: usage: chart.sh [FILE]" >&2
	exit 2
fi
in=${1:--}
if [ "$in" != - ] && [ ! -r "$in" ]; then
	echo "chart.sh: cannot read: $in" >&2
	exit 2
fi
awk '
function floor_(x) { return x == int(x) ? x : (x < 0 ? int(x) - 1 : int(x)) }
# A round step (1, 2 or 5 times a power of ten) for about five ticks to v.
function step(v,   raw, m, r) {
	if (v <= 0)
		return 1
	raw = v / 5
	m = 10 ^ floor_(log(raw) / log(10))
	r = raw / m
	return (r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10) * m
}
function num(v) { return v == int(v) ? sprintf("%d", v) : sprintf("%.1f", v) }
function sx(v) { return px + v / xtop * PW }
function sy(v) { return PY + PH - v / ytop * PH }
# panel(left, title, xlabel, ylabel, n, xs, ys, n2, ys2, name, name2)
function panel(left, title, xlabel, ylabel, n, xs, ys, ys2, name, name2,
    i, xmax, ymax, xs_, ys_, t, pts, pts2) {
	px = left + 70
	printf "<g>\n<text x=\"%d\" y=\"24\" class=\"t\">%s</text>\n", left + 20, title
	if (n == 0) {
		printf "<text x=\"%d\" y=\"%d\" class=\"l\">no data in this bench output</text>\n</g>\n", px + 20, PY + PH / 2
		return
	}
	xmax = ymax = 0
	for (i = 1; i <= n; i++) {
		if (xs[i] > xmax) xmax = xs[i]
		if (ys[i] > ymax) ymax = ys[i]
		if (ys2[i] > ymax) ymax = ys2[i]
	}
	xs_ = step(xmax); xtop = xs_ * (floor_(xmax / xs_) + (xmax % xs_ ? 1 : 0))
	ys_ = step(ymax); ytop = ys_ * (floor_(ymax / ys_) + 1)
	printf "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"a\"/>\n", px, PY, px, PY + PH
	printf "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"a\"/>\n", px, PY + PH, px + PW, PY + PH
	for (t = 0; t <= ytop + ys_ / 2; t += ys_) {
		printf "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" class=\"g\"/>\n", px, sy(t), px + PW, sy(t)
		printf "<text x=\"%d\" y=\"%.1f\" class=\"y\">%s</text>\n", px - 6, sy(t) + 4, num(t)
	}
	for (t = 0; t <= xtop + xs_ / 2; t += xs_)
		printf "<text x=\"%.1f\" y=\"%d\" class=\"x\">%s</text>\n", sx(t), PY + PH + 16, num(t)
	printf "<text x=\"%d\" y=\"%d\" class=\"x\">%s</text>\n", px + PW / 2, PY + PH + 36, xlabel
	printf "<text transform=\"translate(%d %d) rotate(-90)\" class=\"x\">%s</text>\n", left + 18, PY + PH / 2, ylabel
	pts = pts2 = ""
	for (i = 1; i <= n; i++) {
		pts = pts sprintf("%s%.1f,%.1f", i > 1 ? " " : "", sx(xs[i]), sy(ys[i]))
		if (name2 != "")
			pts2 = pts2 sprintf("%s%.1f,%.1f", i > 1 ? " " : "", sx(xs[i]), sy(ys2[i]))
	}
	if (name2 != "")
		printf "<polyline points=\"%s\" class=\"f\"/>\n", pts2
	printf "<polyline points=\"%s\" class=\"s\"/>\n", pts
	for (i = 1; i <= n; i++) {
		printf "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" class=\"p\"/>\n", sx(xs[i]), sy(ys[i])
		printf "<text x=\"%.1f\" y=\"%.1f\" class=\"v\">%s</text>\n", sx(xs[i]) - 4, sy(ys[i]) - 7, num(ys[i])
	}
	printf "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"s\"/>\n", px + 10, PY + 8, px + 30, PY + 8
	printf "<text x=\"%d\" y=\"%d\" class=\"l\">%s</text>\n", px + 36, PY + 12, name
	if (name2 != "") {
		printf "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"f\"/>\n", px + 10, PY + 26, px + 30, PY + 26
		printf "<text x=\"%d\" y=\"%d\" class=\"l\">%s</text>\n", px + 36, PY + 30, name2
	}
	print "</g>"
}
# "combine k=5   139.78   138.12 MSMk+..." (not "combine k=67 (more)")
$1 == "combine" && $2 ~ /^k=[0-9]+$/ && $3 ~ /^[0-9.]+$/ && $4 ~ /^[0-9.]+$/ {
	k = substr($2, 3) + 0
	if (!(k in ck)) {
		ck[k] = 1
		nc++
		cx[nc] = k; cy[nc] = $3 + 0; cf[nc] = $4 + 0
	}
}
# "  request n=7   t=5       123.4 ms      0.456 s CPU"
$1 == "request" && $2 ~ /^n=[0-9]+$/ && $3 ~ /^t=[0-9]+$/ && $4 ~ /^[0-9.]+$/ && $5 == "ms" && $6 ~ /^[0-9.]+$/ && $7 == "s" {
	n = substr($2, 3) + 0
	if (!(n in rn)) {
		rn[n] = 1
		nr++
		rx[nr] = n; ry[nr] = $4 + 0; rz[nr] = $6 * 1000
	}
}
END {
	if (nc + nr == 0) {
		print "chart.sh: no \"combine k=N\" rows nor \"request n=N\" lines in the input" > "/dev/stderr"
		exit 1
	}
	# Sort each series by x (insertion: a handful of points).
	for (i = 2; i <= nc; i++)
		for (j = i; j > 1 && cx[j - 1] > cx[j]; j--) {
			t = cx[j]; cx[j] = cx[j - 1]; cx[j - 1] = t
			t = cy[j]; cy[j] = cy[j - 1]; cy[j - 1] = t
			t = cf[j]; cf[j] = cf[j - 1]; cf[j - 1] = t
		}
	for (i = 2; i <= nr; i++)
		for (j = i; j > 1 && rx[j - 1] > rx[j]; j--) {
			t = rx[j]; rx[j] = rx[j - 1]; rx[j - 1] = t
			t = ry[j]; ry[j] = ry[j - 1]; ry[j - 1] = t
			t = rz[j]; rz[j] = rz[j - 1]; rz[j - 1] = t
		}
	PW = 300; PH = 220; PY = 44
	print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	print "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"800\" height=\"330\" viewBox=\"0 0 800 330\">"
	print "<style>text{font:12px sans-serif;fill:#222}.t{font-weight:bold;font-size:13px}.x{text-anchor:middle}.y{text-anchor:end}.v{font-size:10px;text-anchor:end;fill:#555}.a{stroke:#222}.g{stroke:#ddd}.s{stroke:#1f5fa8;stroke-width:2;fill:none}.f{stroke:#c0392b;stroke-width:1.5;stroke-dasharray:5 4;fill:none}.p{fill:#1f5fa8}</style>"
	print "<rect width=\"800\" height=\"330\" fill=\"#fff\"/>"
	panel(0, "combine: CPU time against shares combined", "shares combined (k)", "CPU us", nc, cx, cy, cf, "ccc_tdh2_combine", "its floor (raw OpenSSL)")
	panel(400, "a whole request against committee size", "nodes in the committee (n, t = 2n/3 + 1)", "ms", nr, rx, ry, rz, "wall, steps 1-7", "CPU, whole run with set-up")
	print "</svg>"
}' "$in"
