/* ccc-bench's yardstick for start-up: a C program that does nothing. */
int
main(void)
{
	return 0;
}
