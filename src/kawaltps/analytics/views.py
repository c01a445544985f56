from django.contrib.auth.decorators import login_required


@login_required
def quickcount_page(request):
    pass


forensics_page = bimtek_page = quickcount_page
