#!/usr/bin/perl
# A level-2 test program (tests/cli/replicated.bats): it shuffles the lines
# of its inputs with randomness drawn from its input's seed (field 4 of
# ccc/enclave-input/v1, the request's coin), so every honest replica
# prints the same permutation.  Its first line names the seed by the
# first 16 hex digits of its SHA-256 (never the seed itself).
use strict;
use warnings;
use Digest::SHA qw(sha256 sha256_hex);

binmode STDIN;
local $/;
my $b = <STDIN>;
my $p = 0;

sub head {
	my $i = ord(substr($b, $p++, 1));
	my ($mt, $v) = ($i >> 5, $i & 31);
	if ($v >= 24) {
		my $n = 1 << ($v - 24);
		$v = 0;
		$v = $v * 256 + ord(substr($b, $p++, 1)) for 1 .. $n;
	}
	return ($mt, $v);
}

sub item {
	my ($mt, $v) = head();
	if ($mt == 2 || $mt == 3) {
		my $s = substr($b, $p, $v);
		$p += $v;
		return $s;
	}
	return [map { item() } 1 .. $v] if $mt == 4;
	return $v;
}

my (undef, $n) = head();
my %m;
for (1 .. $n) {
	my $k = item();
	$m{$k} = item();
}
my $seed = $m{4} // die "no seed: not a level-2 request\n";
my @lines = map { split /\n/ } @{$m{3}};
my ($ctr, $pool) = (0, '');

sub below {
	my $bound = shift;
	$pool .= sha256($seed . pack('N', $ctr++)) while length($pool) < 4;
	return unpack('N', substr($pool, 0, 4, '')) % $bound;
}

for (my $i = $#lines; $i > 0; $i--) {
	my $j = below($i + 1);
	@lines[$i, $j] = @lines[$j, $i];
}
print 'seed ', substr(sha256_hex($seed), 0, 16), "\n", join("\n", @lines), "\n";
