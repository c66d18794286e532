from ui.units import file_size


def test_file_sizes_read_in_the_unit_that_fits():
    assert file_size(812) == "812 B"
    assert file_size(34_900) == "34 KB"  # a small logo is not "0.03 MB"
    assert file_size(int(1.4 * 2**20)) == "1.4 MB"
    assert file_size(3 * 2**30) == "3.00 GB"
